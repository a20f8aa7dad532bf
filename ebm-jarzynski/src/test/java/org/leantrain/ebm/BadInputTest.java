package org.leantrain.ebm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.leantrain.core.optim.Sgd;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Spec §6 test 16 / §9: bad inputs raise IllegalArgumentException naming the field; NaN stops with the update. */
class BadInputTest {

    private static void rejects(String field, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(field), "message should name " + field + ": " + ex.getMessage());
    }

    @Test
    void configurationsNameTheBadField() {
        rejects("stepSize", () -> new UlaConfig(0, 1));
        rejects("stepSize", () -> new UlaConfig(-1e-3, 1));
        rejects("stepSize", () -> new UlaConfig(Double.NaN, 1));
        rejects("temperature", () -> new UlaConfig(0.1, 0));
        rejects("numWalkers", () -> new WalkerConfig(1, 1, 1, 1, 0));
        rejects("miniBatchSize", () -> new WalkerConfig(10, 1, 1, 11, 0));
        rejects("miniBatchSize", () -> new WalkerConfig(10, 1, 1, 0, 0));
        rejects("stepsPerUpdate", () -> new WalkerConfig(10, 0, 1, 5, 0));
        rejects("trackingFraction", () -> new WalkerConfig(10, 1, 1, 5, 0.95));
        rejects("essThreshold", () -> new ResamplingConfig(ResamplingScheme.SYSTEMATIC, 1.5, 0));
        rejects("essThreshold", () -> new ResamplingConfig(ResamplingScheme.SYSTEMATIC, -0.1, 0));
        rejects("learningRate", () -> new Sgd(List.of(), 0, 0));
    }

    @Test
    void mixturesRejectInconsistentShapes() {
        rejects("M >= 1", () -> new GaussianMixtureEnergy(new double[0][], new double[0], new boolean[0], true));
        rejects("frozenLogits", () -> new GaussianMixtureEnergy(new double[][] {{0}, {1}}, new double[] {0, 0},
                new boolean[] {true}, true));
        rejects("nothing to train", () -> new GaussianMixtureEnergy(new double[][] {{0}, {1}}, new double[] {0, 0},
                new boolean[] {true, true}, false));
    }

    @Test
    void walkersAndDataMustMatchTheModel() {
        GaussianMixtureEnergy gmm = GaussianMixtureEnergy.withFirstLogitFrozen(new double[][] {{0, 0}, {1, 1}},
                new double[] {0, 0});
        Rng rng = new Rng(1);
        rejects("initial walkers must have shape [batch, 2]", () -> new JarzynskiSampler(gmm,
                rng.normal(DataType.DOUBLE, 0, 1, 10, 3), 0, WeightScheme.PAPER, new UlaConfig(0.1, 1),
                WalkerConfig.paper(10), ResamplingConfig.never()));
        INDArray nan = rng.normal(DataType.DOUBLE, 0, 1, 10, 2);
        nan.putScalar(3, 1, Double.NaN);
        rejects("initial walkers contain NaN", () -> new JarzynskiSampler(gmm, nan, 0, WeightScheme.PAPER,
                new UlaConfig(0.1, 1), WalkerConfig.paper(10), ResamplingConfig.never()));
        rejects("PAPER ordering", () -> new JarzynskiSampler(gmm, rng.normal(DataType.DOUBLE, 0, 1, 10, 2), 0,
                WeightScheme.PAPER, new UlaConfig(0.1, 1), new WalkerConfig(10, 3, 1, 10, 0),
                ResamplingConfig.never()));

        EbmTrainConfig config = EbmTrainConfig.paper(SamplingMethod.JARZYNSKI, new UlaConfig(0.1, 1), 10, 0.5, 1);
        INDArray data = rng.normal(DataType.DOUBLE, 0, 1, 20, 2);
        Sampler sampler = EbmTrainer.sampler(config, gmm, gmm.sample(10, rng), gmm.logPartition(), data);
        EbmTrainer trainer = new EbmTrainer(gmm, sampler, List.of(new Sgd(gmm.parameters(), 0.01, 0)), config);
        rejects("data batch must have shape [batch, 2]", () -> trainer.step(rng.normal(DataType.DOUBLE, 0, 1, 20, 5)));
        INDArray nanData = data.dup();
        nanData.putScalar(0, 0, Double.POSITIVE_INFINITY);
        rejects("data batch contain NaN or Inf", () -> trainer.step(nanData));
    }

    @Test
    void nanEnergyStopsTrainingNamingTheUpdate() {
        QuadraticEnergy model = new QuadraticEnergy(2, 1);
        model.setTheta(1);
        Rng rng = new Rng(2);
        JarzynskiSampler sampler = new JarzynskiSampler(model, rng.normal(DataType.DOUBLE, 0, 1, 8, 2), 0,
                WeightScheme.PAPER, new UlaConfig(0.1, 1), WalkerConfig.paper(8), ResamplingConfig.never());
        sampler.afterParameterUpdate(model, rng);
        model.setTheta(Double.NaN);
        ArithmeticException ex = assertThrows(ArithmeticException.class, () -> sampler.afterParameterUpdate(model, rng));
        assertTrue(ex.getMessage().contains("update 2"), ex.getMessage());
    }
}
