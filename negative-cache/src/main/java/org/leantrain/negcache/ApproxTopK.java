package org.leantrain.negcache;

/**
 * The official approximate top-k of the cached scores: each row is cut into k contiguous groups of C/k slots and
 * only the maximum of each group is kept. Sampling and p̃⁺ then see k candidates (a truncated softmax: biased).
 */
public final class ApproxTopK {
    private ApproxTopK() {}

    /** For each row, the slot of each group's maximum (ties: the smaller slot), [B][k]. */
    public static int[][] groupMaxima(double[][] scores, int k) {
        int[][] out = new int[scores.length][k];
        for (int i = 0; i < scores.length; i++) {
            int slots = scores[i].length;
            if (k > slots || slots % k != 0) {
                throw new IllegalArgumentException("top-k needs k dividing the " + slots + " candidates, got k = " + k);
            }
            int group = slots / k;
            for (int g = 0; g < k; g++) {
                int best = g * group;
                for (int c = g * group + 1; c < (g + 1) * group; c++) {
                    if (scores[i][c] > scores[i][best]) {
                        best = c;
                    }
                }
                out[i][g] = best;
            }
        }
        return out;
    }

    /** The scores of the chosen slots, [B][k]. */
    public static double[][] gather(double[][] scores, int[][] slots) {
        double[][] out = new double[slots.length][];
        for (int i = 0; i < slots.length; i++) {
            out[i] = new double[slots[i].length];
            for (int j = 0; j < slots[i].length; j++) {
                out[i][j] = scores[i][slots[i][j]];
            }
        }
        return out;
    }
}
