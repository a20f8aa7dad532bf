package org.leantrain.negcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;

/** Spec §6 tests 12 (Gumbel-max frequencies, flat), 13 (masked slots) and 16 (ranking metrics by hand). */
class SamplingAndMetricsTest {
    private static final int DRAWS = 100_000;

    private static double[] frequencies(double[] scores, double invTemp, long seed) {
        Rng rng = new Rng(seed);
        double[] counts = new double[scores.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[GumbelMaxSampler.sampleRow(scores, invTemp, rng)]++;
        }
        for (int c = 0; c < counts.length; c++) {
            counts[c] /= DRAWS;
        }
        return counts;
    }

    private static void assertWithinFiveSd(double[] expected, double[] actual) {
        for (int c = 0; c < expected.length; c++) {
            double sd = Math.sqrt(expected[c] * (1 - expected[c]) / DRAWS);
            assertEquals(expected[c], actual[c], 5 * sd, "candidate " + c);
        }
    }

    @Test
    void gumbelMaxDrawsTheSoftmax() {
        double[] scores = {Math.log(1), Math.log(2), Math.log(3), Math.log(4)};
        assertWithinFiveSd(new double[] {0.1, 0.2, 0.3, 0.4}, frequencies(scores, 1, 1));
        // κ = 2: softmax(2s) ∝ [1, 4, 9, 16]
        assertWithinFiveSd(new double[] {1 / 30.0, 4 / 30.0, 9 / 30.0, 16 / 30.0}, frequencies(scores, 2, 2));
    }

    @Test
    void maskedSlotsAreNeverDrawnAndAnAllMaskedRowDrawsNothing() {
        double ninf = Double.NEGATIVE_INFINITY;
        double[] scores = {5, ninf, 0, ninf};
        double[] f = frequencies(scores, 1, 3);
        assertEquals(0, f[1]);
        assertEquals(0, f[3]);
        assertNotEquals(0, f[2]);
        assertEquals(-1, GumbelMaxSampler.sampleRow(new double[] {ninf, ninf}, 1, new Rng(0)));
        assertThrows(IllegalArgumentException.class,
                () -> GumbelMaxSampler.sample(new double[][] {{0, Double.NaN}}, 1, new Rng(0)));
        assertThrows(IllegalArgumentException.class, () -> GumbelMaxSampler.sample(new double[][] {{0}}, 0, new Rng(0)));
    }

    @Test
    void rankingMetricsByHand() {
        RankingMetrics m = RankingMetrics.of(new int[] {1, 3, 12});
        assertEquals(1 / 3.0, m.recallAt1(), 1e-12);
        assertEquals(2 / 3.0, m.recallAt10(), 1e-12);
        assertEquals(1.0, m.recallAt100(), 1e-12);
        assertEquals(0.4722222222, m.mrr(), 1e-9);
        assertEquals(0.4444444444, m.mrrAt10(), 1e-9);
        assertEquals(3, RankingMetrics.rank(new double[] {0.9, 0.5, 0.7, 0.5}, 1)); // ties do not count as higher
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.of(new int[] {0}));
    }

    @Test
    void shardedTwoLevelDrawsMatchTheFlatSoftmax() {
        Rng rng = new Rng(5);
        double[] scores = new double[10];
        for (int c = 0; c < scores.length; c++) {
            scores[c] = rng.nextGaussian();
        }
        ShardedSampler sharded = new ShardedSampler(3, 5, 2);
        double lse = CacheLoss.logSumExp(Double.NEGATIVE_INFINITY, scores);
        double[] expected = new double[scores.length];
        for (int c = 0; c < scores.length; c++) {
            expected[c] = Math.exp(scores[c] - lse);
        }
        double[] counts = new double[scores.length];
        Rng draws = new Rng(6);
        for (int i = 0; i < DRAWS; i++) {
            counts[sharded.draw(new double[][] {scores}, draws)[0]]++;
        }
        double chi2 = 0;
        for (int c = 0; c < scores.length; c++) {
            double e = expected[c] * DRAWS;
            chi2 += (counts[c] - e) * (counts[c] - e) / e;
        }
        // 9 degrees of freedom: P(χ² > 33.7) ≈ 1e−4
        org.junit.jupiter.api.Assertions.assertTrue(chi2 < 33.7, "chi-square " + chi2);
        double sPos = 0.3;
        double flat = Math.exp(sPos - CacheLoss.logSumExp(sPos, scores));
        assertEquals(flat, sharded.positiveProbability(sPos, scores), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ShardedSampler.even(4, 5));
    }
}
