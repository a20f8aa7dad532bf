package org.leantrain.sde;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Spec §9: every bad input fails with an IllegalArgumentException naming what is wrong. */
class BadInputTest {
    private static void assertMessage(Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention " + fragment);
    }

    private static final double[][] H = {{1}};
    private static final double[][] R = {{0.01}};

    @Test
    void observationsOffTheGridOutsideTheHorizonUnsortedOrDuplicated() {
        TimeGrid grid = new TimeGrid(1, 10);
        assertMessage(() -> grid.indexOf(0.05), "not on the grid");
        assertMessage(() -> grid.indexOf(1.5), "outside (0, T");
        assertMessage(() -> grid.indexOf(0), "outside (0, T");
        assertMessage(() -> new Observations(new double[] {0.5, 0.3}, new double[][] {{1}, {2}}, H, R), "increasing");
        assertMessage(() -> new Observations(new double[] {0.5, 0.5}, new double[][] {{1}, {2}}, H, R), "duplicates");
        Observations late = Observations.scalar(new double[] {2}, new double[] {1}, 1, 0.01);
        assertMessage(() -> InformationFilter.solve(LinearPart.scalar(0, 0), Diffusion.diag(1), late, grid,
                new double[] {0}), "outside (0, T");
    }

    @Test
    void nanDataAndBadMatrices() {
        assertMessage(() -> new Observations(new double[] {0.5}, new double[][] {{Double.NaN}}, H, R), "finite");
        assertMessage(() -> new Observations(new double[] {Double.NaN}, new double[][] {{1}}, H, R), "finite");
        assertMessage(() -> new Observations(new double[] {0.5}, new double[][] {{1}}, H, new double[][] {{0}}),
                "positive definite");
        assertMessage(() -> new Observations(new double[] {0.5}, new double[][] {{1, 2}}, new double[][] {{1, 0},
                {0, 1}}, new double[][] {{1, 0.5}, {0.4, 1}}), "symmetric");
        assertMessage(() -> new Observations(new double[] {0.5}, new double[][] {{1}}, H, new double[][] {{1, 0}}),
                "R must be");
        assertMessage(() -> new Observations(new double[] {0.5}, new double[][] {{1, 2}}, H, R), "observation values");
        assertMessage(() -> new ElboEstimator(LinearDrift.brownian(1), Diffusion.diag(1),
                Observations.scalar(new double[] {1}, new double[] {1}, 1, 0.01), new TimeGrid(1, 4),
                new double[] {Double.POSITIVE_INFINITY}), "x0");
        assertMessage(() -> InformationFilter.solve(LinearPart.scalar(0, 0), Diffusion.diag(1, 1),
                Observations.scalar(new double[] {1}, new double[] {1}, 1, 0.01), new TimeGrid(1, 4), new double[] {0}),
                "dimensions disagree");
    }

    @Test
    void diffusionGridAndTrainingSettings() {
        assertMessage(() -> Diffusion.diag(0), "> 0");
        assertMessage(() -> Diffusion.diag(-1), "> 0");
        assertMessage(() -> new Diffusion(new double[][] {{1, 0}}), "d_w <= d");
        assertMessage(() -> new Diffusion(new double[][] {{1, 1}, {1, 1}}), "full column rank");
        assertMessage(() -> new Diffusion(new double[][] {{Double.NaN}}), "finite");
        assertMessage(() -> new TimeGrid(0, 10), "T must be > 0");
        assertMessage(() -> new TimeGrid(1, 0), "K must be >= 1");
        assertMessage(() -> new SdeTrainConfig(10, 0, 10, 1, 1e-2, 10, 0, 8, 1), "batchPaths");
        assertMessage(() -> new SdeTrainConfig(10, 8, 10, 1, 0, 10, 0, 8, 1), "lr");
        assertMessage(() -> new SdeTrainConfig(10, 8, 10, 1, Double.NaN, 10, 0, 8, 1), "lr");
        assertMessage(() -> new LinearPart(new double[][] {{Double.NaN}}, new double[] {0}), "finite");
    }
}
