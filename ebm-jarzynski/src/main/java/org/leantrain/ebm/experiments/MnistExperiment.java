package org.leantrain.ebm.experiments;

import java.util.List;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.data.Mnist;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.util.Rng;
import org.leantrain.ebm.ConfinedNeuralEnergy;
import org.leantrain.ebm.Confinement;
import org.leantrain.ebm.EbmTrainConfig;
import org.leantrain.ebm.EbmTrainer;
import org.leantrain.ebm.EnergyNetworks;
import org.leantrain.ebm.ResamplingConfig;
import org.leantrain.ebm.ResamplingScheme;
import org.leantrain.ebm.Sampler;
import org.leantrain.ebm.SamplingMethod;
import org.leantrain.ebm.UlaConfig;
import org.leantrain.ebm.WalkerConfig;
import org.leantrain.ebm.WalkerInit;
import org.leantrain.ebm.WeightScheme;
import org.leantrain.ebm.mnist.MnistSubset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * E3 of spec §7: MNIST digits 2/3/6 at 4:2:1 with a soft-box-confined energy (exact X_0 and log Z_0, no burn-in),
 * REWEIGHT_THEN_MOVE ordering with consistent h and T (the authors' effective temperature T = 1e−4).
 */
public final class MnistExperiment {
    public static final int[] DIGITS = {2, 3, 6};
    public static final int[] COUNTS = {5600, 2800, 1400};
    public static final double[] TARGET = {4.0 / 7, 2.0 / 7, 1.0 / 7};

    /** Sizes of a run; {@code hidden} are the MLP energy's widths. */
    public record Settings(int walkers, int miniBatches, int miniBatchSize, int stepsPerUpdate, double stepSize,
                           double temperature, double learningRate, int dataBatch, int updates, double regAlpha,
                           double clipNorm, double essThreshold, int[] hidden, double boxLambda) {
        public Settings withUpdates(int u) {
            return new Settings(walkers, miniBatches, miniBatchSize, stepsPerUpdate, stepSize, temperature,
                    learningRate, dataBatch, u, regAlpha, clipNorm, essThreshold, hidden, boxLambda);
        }

        public Settings withWalkers(int n) {
            return new Settings(n, miniBatches, Math.min(miniBatchSize, n), stepsPerUpdate, stepSize, temperature,
                    learningRate, dataBatch, updates, regAlpha, clipNorm, essThreshold, hidden, boxLambda);
        }
    }

    /** The quick config: MLP energy 784→256→256→1, N = 512, one mini-batch of 128, K = 10, 600 updates. */
    public static Settings quick() {
        return new Settings(512, 1, 128, 10, 5e-5, 1e-4, 1e-4, 128, 600, 0.01, 1, 0.5, new int[] {256, 256}, 100);
    }

    private MnistExperiment() {}

    /** The first 5600 "2", 2800 "3", 1400 "6" of the training file, classes 0/1/2, pixels in [−1, 1]. */
    public static Dataset data(Mnist mnist) {
        return MnistSubset.firstOccurrences(mnist.train(), DIGITS, COUNTS);
    }

    /** The energy at θ_0: SiLU MLP body, zero-initialized head, soft box; float32. */
    public static ConfinedNeuralEnergy energy(Settings s, Rng rng) {
        return new ConfinedNeuralEnergy(EnergyNetworks.mlp(784, s.hidden(), DataType.FLOAT, rng),
                s.hidden()[s.hidden().length - 1], 784, new Confinement.SoftBox(s.boxLambda()), DataType.FLOAT, rng);
    }

    public static EbmTrainConfig config(Settings s, SamplingMethod method, long seed) {
        return new EbmTrainConfig(method, WeightScheme.REWEIGHT_THEN_MOVE, new UlaConfig(s.stepSize(), s.temperature()),
                new WalkerConfig(s.walkers(), s.stepsPerUpdate(), s.miniBatches(), s.miniBatchSize(), 0),
                new ResamplingConfig(ResamplingScheme.SYSTEMATIC, s.essThreshold(), 0), s.regAlpha(), 1, 1,
                WalkerInit.MODEL, s.clipNorm(), seed);
    }

    /** A trainer for {@code method} (JARZYNSKI or PCD from the exact initial model), Adam β = (0, 0.999). */
    public static EbmTrainer trainer(Settings s, SamplingMethod method, ConfinedNeuralEnergy energy, long seed) {
        EbmTrainConfig config = config(s, method, seed);
        INDArray x0 = energy.sampleInitial(s.walkers(), s.temperature(), new Rng(seed + 101));
        Sampler sampler = EbmTrainer.sampler(config, energy, x0, energy.logZ0(s.temperature()), null);
        Adam adam = new Adam(energy.parameters(), s.learningRate(), 0, 0.999, 1e-8, 0, false);
        return new EbmTrainer(energy, sampler, List.of(adam), config);
    }

    /** A random data batch of {@code size} rows. */
    public static INDArray batch(Dataset data, int size, Rng rng) {
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = rng.nextInt(data.size());
        }
        return Nd4j.pullRows(data.features(), 1, idx);
    }
}
