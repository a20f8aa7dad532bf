package org.leantrain.negcache;

import org.leantrain.core.util.Rng;

/**
 * Draws c = argmax_c (κ·s_c + G_c), G = −log(−log U): an exact sample of softmax(κ·s) per row, without computing
 * the softmax. Entries of −∞ (masked slots) are never drawn; a row with no finite entry draws −1. Noise is drawn
 * in double with U clamped to [1e−12, 1 − 1e−7], so neither logarithm sees 0.
 */
public final class GumbelMaxSampler {
    private static final double U_MIN = 1e-12;
    private static final double U_MAX = 1 - 1e-7;

    private GumbelMaxSampler() {}

    /** One index per row of {@code scores} [B][C] at inverse temperature {@code invTemp} (κ > 0). */
    public static int[] sample(double[][] scores, double invTemp, Rng rng) {
        if (!(invTemp > 0) || Double.isInfinite(invTemp)) {
            throw new IllegalArgumentException("inverse temperature must be positive and finite, got " + invTemp);
        }
        int[] drawn = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            drawn[i] = sampleRow(scores[i], invTemp, rng);
        }
        return drawn;
    }

    static int sampleRow(double[] row, double invTemp, Rng rng) {
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < row.length; c++) {
            if (Double.isNaN(row[c]) || row[c] == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("score " + row[c] + " at candidate " + c + " is not a number or −∞");
            }
            if (row[c] == Double.NEGATIVE_INFINITY) {
                continue;
            }
            double u = Math.min(U_MAX, Math.max(U_MIN, rng.nextDouble()));
            double value = invTemp * row[c] - Math.log(-Math.log(u));
            if (value > bestValue) {
                bestValue = value;
                best = c;
            }
        }
        return best;
    }
}
