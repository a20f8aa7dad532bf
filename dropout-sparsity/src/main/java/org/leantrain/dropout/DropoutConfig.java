package org.leantrain.dropout;

/**
 * Dropout rate, how structured masks are drawn, and the seed of the mask stream.
 *
 * @param p drop probability in [0, 1)
 */
public record DropoutConfig(double p, MaskMode mode, long seed) {

    public DropoutConfig {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout p must be in [0, 1), got " + p);
        }
        if (mode == null) {
            throw new IllegalArgumentException("dropout needs a sampling mode (FIXED_COUNT or BERNOULLI)");
        }
    }

    /** Fixed-count masks, the default. */
    public static DropoutConfig of(double p, long seed) {
        return new DropoutConfig(p, MaskMode.FIXED_COUNT, seed);
    }

    /** Throws when a fixed-count mask over {@code width} units would keep nothing. */
    public void checkWidth(int width) {
        if (mode == MaskMode.FIXED_COUNT && StructuredMaskSampler.fixedCount(width, p) == 0) {
            throw new IllegalArgumentException("dropout p = " + p + " keeps round((1 - p)·" + width
                    + ") = 0 units with FIXED_COUNT masks; lower p or use BERNOULLI");
        }
    }
}
