package org.leantrain.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The fused rollout gives the tape's values and gradients (float64, 1e-10) for every control and drift here. */
class FusedRolloutTest {
    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual.reshape(expected.shape())).amaxNumber().doubleValue();
        assertEquals(0, diff, 1e-10 * scale, what + ": max difference " + diff);
    }

    private static void compare(ElboEstimator estimator, Control control, List<Tensor> params, INDArray[] noise,
            String what) {
        ElboEstimator.Result tape = estimator.elboOnTape(control, noise);
        tape.elbo().mean().neg().add(tape.kl().sum().mul(0.3)).backward(); // weights on two outputs
        List<INDArray> tapeGrads = new ArrayList<>();
        for (Tensor p : params) {
            assertNotNull(p.grad(), what + ": tape gradient of " + p.describe());
            tapeGrads.add(p.grad().dup());
            p.zeroGrad();
        }
        ElboEstimator.Result fused = estimator.elbo(control, noise);
        assertClose(tape.elbo().value(), fused.elbo().value(), what + " ELBO");
        assertClose(tape.kl().value(), fused.kl().value(), what + " KL");
        assertClose(tape.logLikelihood().value(), fused.logLikelihood().value(), what + " log-likelihood");
        fused.elbo().mean().neg().add(fused.kl().sum().mul(0.3)).backward();
        for (int i = 0; i < params.size(); i++) {
            assertClose(tapeGrads.get(i), params.get(i).grad(), what + " gradient of " + params.get(i).describe());
            params.get(i).zeroGrad();
        }
    }

    @Test
    void oneDimensionalPriorsAndEveryControl() {
        TimeGrid grid = new TimeGrid(1.5, 30);
        Observations obs = Observations.scalar(new double[] {0.5, 1.0, 1.5}, new double[] {0.3, -0.4, 0.8}, 1, 0.02);
        Diffusion s = Diffusion.diag(0.7);
        double[] x0 = {-0.2};
        LearnedOuDrift learned = new LearnedOuDrift(0.6);
        for (ExplicitDrift drift : List.of(LinearDrift.ornsteinUhlenbeck(1.3), new DoubleWellDrift(), learned)) {
            ElboEstimator estimator = new ElboEstimator(drift, s, obs, grid, x0);
            LinearPart surrogate = drift.linearPart() != null ? drift.linearPart() : LinearPart.scalar(-0.5, 0.1);
            LinearControl lin = InformationFilter.solve(surrogate, s, obs, grid, x0);
            INDArray[] noise = estimator.noise(7, new Rng(11));
            String name = drift.getClass().getSimpleName();
            NeuralControl nn = new NeuralControl(1, 1, 6, 3, 1.5, false, new Rng(2)); // 3 hidden: two gemm layers
            List<Tensor> params = new ArrayList<>(nn.parameters());
            params.addAll(drift.parameters());
            compare(estimator, nn, params, noise, name + " NN-only");
            compare(estimator, HybridControl.withoutZeroInit(lin, nn), params, noise, name + " hybrid");
            if (!drift.parameters().isEmpty()) {
                compare(estimator, new LinearOnlyControl(lin), drift.parameters(), noise, name + " linear only");
            }
        }
    }

    @Test
    void twoDimensionalStateWithPartialObservation() {
        LinearPart lin = new LinearPart(new double[][] {{-1, 2}, {-2, -1}}, new double[] {0.1, 0});
        LinearDrift drift = new LinearDrift(lin);
        Diffusion s = new Diffusion(new double[][] {{0.5, 0.1}, {0, 0.3}});
        TimeGrid grid = new TimeGrid(1, 20);
        Observations obs = new Observations(new double[] {0.5, 1.0}, new double[][] {{0.2}, {-0.3}},
                new double[][] {{1, 0.5}}, new double[][] {{0.05}});
        double[] x0 = {0.5, -0.5};
        ElboEstimator estimator = new ElboEstimator(drift, s, obs, grid, x0);
        NeuralControl nn = new NeuralControl(2, 2, 5, 2, 1, false, new Rng(4));
        LinearControl control = InformationFilter.solve(lin, s, obs, grid, x0);
        compare(estimator, HybridControl.withoutZeroInit(control, nn), nn.parameters(), estimator.noise(5, new Rng(6)),
                "2-D hybrid");
    }

    @Test
    void fastTanhMatchesMathTanh() {
        for (double z = -25; z <= 25; z += 0.0137) {
            assertEquals(Math.tanh(z), FusedRollout.tanh(z), 5e-14 * Math.abs(Math.tanh(z)) + 1e-17);
        }
    }
}
