package org.leantrain.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Spec §6.6: exact balancing, checked against brute force over all cuts. */
class PartitionerTest {
    @Test
    void specTable() {
        check(new double[] {1, 2, 3, 4, 5, 6}, 2, 4, 2);
        check(new double[] {6, 5, 4, 3, 2, 1}, 2, 2, 4);
        check(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 5, 2, 2);
        check(new double[] {1, 1, 1, 1, 1, 1, 1, 1}, 4, 2, 2, 2, 2);
        check(new double[] {10, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 2, 1, 9);
        check(new double[] {3, 1, 4, 1, 5, 9, 2, 6, 5, 3}, 4, 4, 2, 2, 2);
        check(new double[] {5, 5, 5, 5, 5}, 2, 2, 3);
        check(new double[] {1, 1, 1, 1, 1, 1, 1, 100}, 3, 3, 4, 1);
    }

    private static void check(double[] costs, int k, int... expected) {
        assertArrayEquals(expected, Partitioner.byCosts(costs, k));
        assertArrayEquals(expected, bruteForce(costs, k));
    }

    @Test
    void randomCostsAgreeWithBruteForce() {
        Rng rng = new Rng(5);
        for (int trial = 0; trial < 400; trial++) {
            int layers = 1 + rng.nextInt(10);
            int k = 1 + rng.nextInt(Math.min(4, layers));
            double[] costs = new double[layers];
            for (int l = 0; l < layers; l++) {
                costs[l] = trial % 2 == 0 ? rng.nextInt(5) : rng.nextDouble(); // integer costs make ties common
            }
            assertArrayEquals(bruteForce(costs, k), Partitioner.byCosts(costs, k), java.util.Arrays.toString(costs));
        }
    }

    /** Every composition of L into K positive parts; least (max, Σ C², balance) lexicographically. */
    private static int[] bruteForce(double[] costs, int k) {
        List<int[]> all = new ArrayList<>();
        compositions(costs.length, k, new int[k], 0, all);
        int[] best = null;
        double bestMax = 0;
        double bestSq = 0;
        for (int[] b : all) {
            double max = 0;
            double sq = 0;
            int i = 0;
            for (int part : b) {
                double c = 0;
                for (int j = 0; j < part; j++) {
                    c += costs[i++];
                }
                max = Math.max(max, c);
                sq += c * c;
            }
            if (best == null || max < bestMax || (max == bestMax && sq < bestSq - 1e-9)) {
                best = b;
                bestMax = max;
                bestSq = sq;
            }
        }
        return best;
    }

    /** Compositions in lexicographic order, so the first best found is the lexicographically smallest. */
    private static void compositions(int remaining, int k, int[] prefix, int at, List<int[]> out) {
        if (at == k - 1) {
            prefix[at] = remaining;
            out.add(prefix.clone());
            return;
        }
        for (int part = 1; part <= remaining - (k - 1 - at); part++) {
            prefix[at] = part;
            compositions(remaining - part, k, prefix, at + 1, out);
        }
    }

    @Test
    void byTimeBalancesBusyLayers() {
        Sequential model = new Sequential();
        for (int ms = 1; ms <= 6; ms++) {
            model.add(new BusyLayer(ms * 1_000_000L, 0, DataType.DOUBLE));
        }
        int[] balance = Partitioner.byTime(model, Tensor.ones(DataType.DOUBLE, 2, 2), 2, Duration.ofMillis(300), 1);
        assertArrayEquals(new int[] {4, 2}, balance);
    }

    @Test
    void bySizeWeighsActivationsAndParameters() {
        // Linear 8→8 then four Tanh: each keeps 8 doubles per sample (64 B; ×4 rows per micro-batch), the Linear
        // also has 72 parameters (576 B). Activations alone: equal costs → [2, 3]; with paramScale 4 the Linear
        // costs 256 + 2304 and gets a stage of its own.
        Sequential model = new Sequential(new org.leantrain.core.nn.Linear(8, 8, true, DataType.DOUBLE, new Rng(1)));
        for (int i = 0; i < 4; i++) {
            model.add(Sequential.lambda(Tensor::tanh));
        }
        Tensor sample = TestModels.normal(DataType.DOUBLE, 1, 1, 8);
        assertArrayEquals(new int[] {2, 3}, Partitioner.bySize(model, sample, 8, 2, 2, 0));
        assertArrayEquals(new int[] {1, 4}, Partitioner.bySize(model, sample, 8, 2, 2, 4));
    }

    @Test
    void rejectsMoreStagesThanLayers() {
        assertThrows(IllegalArgumentException.class, () -> Partitioner.byCosts(new double[] {1, 2}, 3));
        assertThrows(IllegalArgumentException.class, () -> Partitioner.byCosts(new double[] {1, Double.NaN}, 1));
    }
}
