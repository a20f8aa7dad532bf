package org.leantrain.ebm;

/** Resample with {@code scheme} when ESS < τ·N, not before update {@code warmupUpdates}; τ = 0 never resamples. */
public record ResamplingConfig(ResamplingScheme scheme, double essThreshold, int warmupUpdates) {
    public ResamplingConfig {
        if (scheme == null) {
            throw new IllegalArgumentException("resampling scheme must not be null");
        }
        if (!(essThreshold >= 0 && essThreshold <= 1)) {
            throw new IllegalArgumentException("essThreshold τ must be in [0, 1], got " + essThreshold);
        }
        if (warmupUpdates < 0) {
            throw new IllegalArgumentException("warmupUpdates must be >= 0, got " + warmupUpdates);
        }
    }

    public static ResamplingConfig systematic(double essThreshold) {
        return new ResamplingConfig(ResamplingScheme.SYSTEMATIC, essThreshold, 0);
    }

    public static ResamplingConfig never() {
        return new ResamplingConfig(ResamplingScheme.SYSTEMATIC, 0, 0);
    }
}
