package org.leantrain.ebm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The README's usage snippet, kept compiling and running. */
class UsageSnippetTest {

    @Test
    void readmeSnippetTrainsANeuralEnergy() {
        Rng rng = new Rng(0);
        INDArray data = rng.normal(DataType.FLOAT, 0, 1, 500, 2).addi(3); // the user's data, [n, D]
        // --- snippet (README) ---
        ConfinedNeuralEnergy energy = new ConfinedNeuralEnergy(EnergyNetworks.mlp(2, new int[] {64, 64},
                DataType.FLOAT, rng), 64, 2, new Confinement.Gaussian(4), DataType.FLOAT, rng);
        EbmTrainConfig config = new EbmTrainConfig(SamplingMethod.JARZYNSKI, WeightScheme.REWEIGHT_THEN_MOVE,
                new UlaConfig(0.02, 1), new WalkerConfig(1000, 5, 1, 250, 0.25), ResamplingConfig.systematic(0.5),
                0, 1, 1, WalkerInit.MODEL, 0, 42);
        Sampler walkers = EbmTrainer.sampler(config, energy, energy.sampleInitial(1000, 1, rng), energy.logZ0(1), data);
        EbmTrainer trainer = new EbmTrainer(energy, walkers,
                List.of(new Adam(energy.parameters(), 3e-4, 0, 0.999, 1e-8, 0, false)), config);
        double initialCrossEntropy = trainer.crossEntropyEstimate(data); // not part of the snippet
        for (int update = 0; update < 20; update++) {
            StepStats stats = trainer.step(data); // or a mini-batch of it
        }
        double logZ = walkers.logZEstimate();          // log Ẑ of the current model (tracking subset)
        double crossEntropy = trainer.crossEntropyEstimate(data); // Ĥ
        // --- end of snippet ---
        assertEquals(20, trainer.updates());
        assertTrue(Double.isFinite(logZ) && Double.isFinite(crossEntropy));
        assertTrue(crossEntropy < initialCrossEntropy - 0.05, "the model should move toward the data: Ĥ "
                + initialCrossEntropy + " → " + crossEntropy);
    }
}
