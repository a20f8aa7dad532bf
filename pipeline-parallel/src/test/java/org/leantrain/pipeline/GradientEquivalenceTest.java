package org.leantrain.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.pipeline.experiments.Equivalence;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Spec §6.7, torchgpipe's transparency test generalised: for every K, M, checkpoint mode and schedule, the loss, every
 * gradient and the parameters after one SGD and one AdamW step equal non-pipelined training — float64 to 1e-12
 * relative, float32 to 1e-5 — with and without KeyedDropout.
 */
class GradientEquivalenceTest {
    @Test
    void float64MatchesNonPipelinedForEveryConfiguration() {
        for (double dropout : new double[] {0, 0.2}) {
            check(new Equivalence(dropout, DataType.DOUBLE), new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4, 12}, 1e-12,
                    "float64 dropout " + dropout);
        }
    }

    @Test
    void float32MatchesNonPipelinedToSummationOrder() {
        check(new Equivalence(0.2, DataType.FLOAT), new int[] {2, 4}, new int[] {3, 12}, 1e-5, "float32");
    }

    /**
     * 1F1B accumulates micro-batch gradients in ascending order, exactly as plain gradient accumulation does, so
     * several float32 AdamW steps must agree bit for bit: the pipeline adds no arithmetic of its own.
     */
    @Test
    void oneFOneBIsBitIdenticalToGradientAccumulation() {
        org.leantrain.core.nn.Sequential piped = TestModels.mlp(3, 32, 5, 0, DataType.FLOAT, 3);
        org.leantrain.core.nn.Sequential accumulated = TestModels.mlp(3, 32, 5, 0, DataType.FLOAT, 3);
        NonPipelinedTrainer reference = new NonPipelinedTrainer(accumulated,
                p -> org.leantrain.core.optim.Adam.adamW(p, 1e-3, 0.01), 4, 1, 0);
        PipelineConfig cfg = new PipelineConfig(new int[] {3, 4}, 4, CheckpointMode.NEVER, Schedule.ONE_F_ONE_B, 1, 0,
                false);
        try (Pipeline pipe = Pipeline.of(piped, cfg, p -> org.leantrain.core.optim.Adam.adamW(p, 1e-3, 0.01))) {
            for (int step = 0; step < 5; step++) {
                org.leantrain.core.tensor.Tensor x = TestModels.normal(DataType.FLOAT, 10 + step, 16, 32);
                org.leantrain.core.tensor.Tensor y = TestModels.normal(DataType.FLOAT, 20 + step, 16, 5);
                double a = pipe.trainStep(x, y, LossFn.mse()).loss();
                double b = reference.trainStep(x, y, LossFn.mse());
                org.junit.jupiter.api.Assertions.assertEquals(b, a, 0.0, "loss at step " + step);
            }
        }
        for (int i = 0; i < piped.parameters().size(); i++) {
            org.junit.jupiter.api.Assertions.assertEquals(accumulated.parameters().get(i).value(),
                    piped.parameters().get(i).value(), "parameter " + i);
        }
    }

    private static void check(Equivalence eq, int[] stages, int[] micro, double tolerance, String what) {
        List<String> failures = new ArrayList<>();
        double worst = 0;
        for (int k : stages) {
            for (int m : micro) {
                for (CheckpointMode mode : CheckpointMode.values()) {
                    for (Schedule schedule : Schedule.values()) {
                        double rel = eq.worstRelativeDifference(k, m, mode, schedule);
                        worst = Math.max(worst, rel);
                        if (!(rel <= tolerance)) {
                            failures.add("K=" + k + " M=" + m + " " + mode + " " + schedule + ": " + rel);
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), what + ": worst " + worst + "; " + failures.size() + " failing, e.g. "
                + failures.subList(0, Math.min(3, failures.size())));
    }
}
