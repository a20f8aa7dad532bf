package org.leantrain.sde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.GradCheck;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Spec §6 tests 5 and 9: the Monte Carlo ELBO is unbiased, zero-initialised hybrid = linear, gradient checks. */
class EstimatorTest {
    private static final double[] X0 = {0};

    private static ElboEstimator bridge(int steps) {
        return new ElboEstimator(LinearDrift.brownian(1), FilterReferenceTest.UNIT,
                FilterReferenceTest.bridgeObservation(), new TimeGrid(1, steps), X0);
    }

    @Test
    void monteCarloElboOfTheLinearControlIsUnbiased() {
        TimeGrid grid = new TimeGrid(1, 100);
        LinearControl lin = InformationFilter.solve(LinearPart.scalar(0, 0), FilterReferenceTest.UNIT,
                FilterReferenceTest.bridgeObservation(), grid, X0);
        ElboEstimator estimator = bridge(100);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            INDArray values = estimator.elbo(new LinearOnlyControl(lin), estimator.noise(20_000, new Rng(3))).elbo()
                    .value();
            double mean = values.meanNumber().doubleValue();
            double se = values.stdNumber().doubleValue() / Math.sqrt(20_000);
            assertEquals(-1.7050917040, mean, 4 * se, "MC mean " + mean + " ± " + se);
            LinearOnlyControl zero = new LinearOnlyControl(new LinearControl(AffineControl.zero(100, 1, 1), Double.NaN,
                    List.of()));
            INDArray prior = estimator.elbo(zero, estimator.noise(20_000, new Rng(4))).elbo().value();
            double priorSe = prior.stdNumber().doubleValue() / Math.sqrt(20_000);
            assertEquals(-98.616353, prior.meanNumber().doubleValue(), 4 * priorSe, "u = 0");
        }
    }

    @Test
    void zeroInitialisedHybridGivesExactlyTheLinearControlsValues() {
        TimeGrid grid = new TimeGrid(1, 100);
        LinearControl lin = InformationFilter.solve(LinearPart.scalar(0, 0), FilterReferenceTest.UNIT,
                FilterReferenceTest.bridgeObservation(), grid, X0);
        ElboEstimator estimator = bridge(100);
        INDArray[] noise = estimator.noise(64, new Rng(5));
        HybridControl hybrid = new HybridControl(lin, new NeuralControl(1, 1, 16, 2, 1, true, new Rng(6)));
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            double[] a = estimator.elbo(hybrid, noise).elbo().value().toDoubleVector();
            double[] b = estimator.elbo(new LinearOnlyControl(lin), noise).elbo().value().toDoubleVector();
            assertArrayEquals(b, a, 0);
        }
    }

    @Test
    void elboGradientsPassTheFiniteDifferenceCheck() {
        LearnedOuDrift drift = new LearnedOuDrift(0.8);
        TimeGrid grid = new TimeGrid(1, 20);
        Observations obs = Observations.scalar(new double[] {0.5, 1.0}, new double[] {0.4, -0.2}, 1, 0.05);
        Diffusion s = Diffusion.diag(0.6);
        double[] x0 = {0.1};
        LinearControl lin = InformationFilter.solve(drift.linearPart(), s, obs, grid, x0);
        NeuralControl net = new NeuralControl(1, 1, 4, 1, 1, false, new Rng(7)); // random last layer: all grads live
        HybridControl hybrid = HybridControl.withoutZeroInit(lin, net);
        ElboEstimator estimator = new ElboEstimator(drift, s, obs, grid, x0);
        INDArray[] noise = estimator.noise(4, new Rng(8));
        List<Tensor> params = new ArrayList<>(net.parameters());
        params.add(drift.theta());
        GradCheck.of(1e-6, 1e-6, 1e-9).checkParameters(() -> estimator.elbo(hybrid, noise).elbo().mean().neg(),
                params);
    }

    @Test
    void trainingTheHybridOnTheBridgeStaysAtTheOptimumAndNnOnlyClimbs() {
        TimeGrid grid = new TimeGrid(1, 50);
        SdeVariationalTrainer.Problem problem = new SdeVariationalTrainer.Problem(LinearDrift.brownian(1),
                FilterReferenceTest.UNIT, FilterReferenceTest.bridgeObservation(), grid, X0);
        SdeTrainConfig config = new SdeTrainConfig(30, 32, 256, 10, 1e-2, 10, 1, 16, 2);
        SdeVariationalTrainer trainer = new SdeVariationalTrainer(problem, config);
        LinearControl lin = problem.linearControl(LinearPart.scalar(0, 0));
        double optimum = AnalyticElbo.of(LinearPart.scalar(0, 0), FilterReferenceTest.UNIT,
                FilterReferenceTest.bridgeObservation(), grid, X0, lin.affine());
        TrainCurve hybrid = trainer.train(new HybridControl(lin, new NeuralControl(1, 1, 16, 2, 1, true, new Rng(2))),
                "hybrid");
        TrainCurve nn = trainer.train(new NeuralControl(1, 1, 16, 2, 1, true, new Rng(2)), "nn");
        assertEquals(optimum, hybrid.elboEval()[0], 0.5, "the hybrid starts at ELBO*");
        assertTrue(nn.elboEval()[0] < -40, "NN-only starts at the prior: " + nn.elboEval()[0]);
        assertTrue(nn.finalElbo() > nn.elboEval()[0] + 10, "NN-only climbs: " + java.util.Arrays.toString(nn.elboEval()));
        assertEquals(4, hybrid.iters().length);
        assertTrue(hybrid.millisPerIteration() > 0 && hybrid.seconds()[3] > 0);
    }

    @Test
    void learnedPriorParameterMovesAndTheLinearControlFollows() {
        LearnedOuDrift drift = new LearnedOuDrift(0.1);
        TimeGrid grid = new TimeGrid(2, 40);
        Observations obs = Observations.scalar(new double[] {0.5, 1.0, 1.5, 2.0}, new double[] {0.5, 0.2, 0.1, 0.0},
                1, 0.01);
        SdeVariationalTrainer.Problem problem = new SdeVariationalTrainer.Problem(drift, Diffusion.diag(0.5), obs, grid,
                new double[] {1});
        SdeVariationalTrainer trainer = new SdeVariationalTrainer(problem, new SdeTrainConfig(60, 32, 128, 30, 5e-2, 10,
                3, 8, 1));
        HybridControl hybrid = new HybridControl(problem.linearControl(drift.linearPart()),
                new NeuralControl(1, 1, 8, 1, 2, true, new Rng(4)));
        trainer.train(hybrid, "learned prior");
        assertTrue(Math.abs(drift.theta().value().getDouble(0) - 0.1) > 1e-3, "theta moved");
    }
}
