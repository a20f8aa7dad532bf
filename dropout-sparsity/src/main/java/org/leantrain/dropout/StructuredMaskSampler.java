package org.leantrain.dropout;

import java.util.Arrays;
import org.leantrain.core.util.Rng;

/** Draws the kept units of one Case III mask (shared by all batch rows) and its inverted-dropout scale. */
public final class StructuredMaskSampler {
    private final double p;
    private final MaskMode mode;

    public StructuredMaskSampler(double p, MaskMode mode) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.mode = mode;
    }

    static int fixedCount(int width, double p) {
        return (int) Math.round((1 - p) * width);
    }

    /** Sorted indices of the kept units out of {@code width}. */
    public int[] keptIndices(int width, Rng rng) {
        if (width < 1) {
            throw new IllegalArgumentException("mask width must be positive, got " + width);
        }
        if (mode == MaskMode.BERNOULLI) {
            int[] kept = new int[width];
            int k = 0;
            for (int j = 0; j < width; j++) {
                if (rng.nextDouble() >= p) {
                    kept[k++] = j;
                }
            }
            return Arrays.copyOf(kept, k);
        }
        int k = fixedCount(width, p);
        if (k == 0) {
            throw new IllegalArgumentException("dropout p = " + p + " keeps round((1 - p)·" + width
                    + ") = 0 units with FIXED_COUNT masks; lower p or use BERNOULLI");
        }
        // Partial Fisher–Yates: the first k slots become a uniform random k-subset.
        int[] units = new int[width];
        for (int j = 0; j < width; j++) {
            units[j] = j;
        }
        for (int j = 0; j < k; j++) {
            int r = j + rng.nextInt(width - j);
            int swap = units[j];
            units[j] = units[r];
            units[r] = swap;
        }
        int[] kept = Arrays.copyOf(units, k);
        Arrays.sort(kept);
        return kept;
    }

    /** Inverted-dropout scale κ: n/k for a fixed count, 1/(1 − p) for Bernoulli. */
    public double scale(int width, int kept) {
        if (mode == MaskMode.BERNOULLI) {
            return 1 / (1 - p);
        }
        return kept == 0 ? 0 : (double) width / kept;
    }
}
