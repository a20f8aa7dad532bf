package org.leantrain.reversible;

import org.leantrain.core.util.Rng;

/**
 * Replayable dropout: the mask of (step, layer, branch) comes from an RNG seeded by a hash of those keys, so the
 * backward recompute of a reversible layer draws exactly the forward's mask, and a STORED model with the same seed
 * draws the same masks too. The model advances the step once per training forward.
 */
public final class DropoutKeys {
    private final long seed;
    private long step;

    public DropoutKeys(long seed) {
        this.seed = seed;
    }

    /** Moves to the next training step (new masks). */
    public void nextStep() {
        step++;
    }

    public long step() {
        return step;
    }

    /** The generator for one (layer, branch) mask of the current step. */
    Rng rng(int layer, int branch) {
        Rng mix = new Rng(seed);
        long k = mix.nextLong() ^ (step * 0x9E3779B97F4A7C15L);
        k = new Rng(k).nextLong() ^ ((long) layer << 20) ^ branch;
        return new Rng(new Rng(k).nextLong());
    }
}
