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
