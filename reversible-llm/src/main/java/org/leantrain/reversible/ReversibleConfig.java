package org.leantrain.reversible;

/**
 * Settings of a reversible stack, validated on construction.
 *
 * @param rule            the integrator (midpoint, leapfrog, stochastic midpoint, Hamiltonian)
 * @param boundary        how p_{−1}, p_0 are made from the embedding (the paper leaves it open)
 * @param state           FLOAT or exact FIXED_POINT int64 states (REVERSIBLE memory mode only)
 * @param fracBits        fractional bits of fixed-point states, in [8, 40]
 * @param checkpointEvery store the exact state pair every k layers to bound reconstruction drift to k-layer
 *                        segments; {@link #NO_CHECKPOINTS} for none
 * @param memory          REVERSIBLE (reconstructing backward) or STORED (plain autograd, the exactness control)
 * @param dropout         dropout inside the blocks, in [0, 1)
 * @param replayDropout   draw dropout masks from keys (seed, step, layer, branch) so the backward recompute sees
 *                        the forward's masks; dropout &gt; 0 without it is refused
 */
public record ReversibleConfig(ReversibleRule rule, Boundary boundary, StateMode state, int fracBits,
                               int checkpointEvery, MemoryMode memory, double dropout, boolean replayDropout) {

    public static final int NO_CHECKPOINTS = Integer.MAX_VALUE;
    public static final int DEFAULT_FRAC_BITS = 32;

    public ReversibleConfig {
        if (rule == null || boundary == null || state == null || memory == null) {
            throw new IllegalArgumentException("rule, boundary, state and memory must be given, got " + rule + ", "
                    + boundary + ", " + state + ", " + memory);
        }
        if (fracBits < 8 || fracBits > 40) {
            throw new IllegalArgumentException("fracBits must be in [8, 40], got " + fracBits);
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be >= 1 (NO_CHECKPOINTS for none), got "
                    + checkpointEvery);
        }
        if (state == StateMode.FIXED_POINT && !rule.supportsFixedPointState()) {
            throw new IllegalArgumentException("FIXED_POINT states need an exactly invertible integer update;"
                    + " " + rule.getClass().getSimpleName() + " divides by a_l, use StateMode.FLOAT");
        }
        if (boundary == Boundary.FIXED_POINT && rule instanceof ReversibleRule.Hamiltonian) {
            throw new IllegalArgumentException("the FIXED_POINT boundary defines p_{-1} of a two-step rule;"
                    + " HAMILTONIAN starts from q_0 = p_0, use DUPLICATE or EULER_BOOTSTRAP");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (dropout > 0 && !replayDropout) {
            throw new IllegalArgumentException("dropout " + dropout + " without replay would give the backward"
                    + " recompute different masks than the forward; set replayDropout or dropout 0");
        }
    }

    /** DUPLICATE boundary, float states, no checkpoints, REVERSIBLE memory, no dropout. */
    public static ReversibleConfig of(ReversibleRule rule) {
        return new ReversibleConfig(rule, Boundary.DUPLICATE, StateMode.FLOAT, DEFAULT_FRAC_BITS, NO_CHECKPOINTS,
                MemoryMode.REVERSIBLE, 0, false);
    }

    public ReversibleConfig withMemory(MemoryMode m) {
        return new ReversibleConfig(rule, boundary, state, fracBits, checkpointEvery, m, dropout, replayDropout);
    }

    public ReversibleConfig withBoundary(Boundary b) {
        return new ReversibleConfig(rule, b, state, fracBits, checkpointEvery, memory, dropout, replayDropout);
    }

    public ReversibleConfig withState(StateMode s) {
        return new ReversibleConfig(rule, boundary, s, fracBits, checkpointEvery, memory, dropout, replayDropout);
    }

    public ReversibleConfig withCheckpointEvery(int k) {
        return new ReversibleConfig(rule, boundary, state, fracBits, k, memory, dropout, replayDropout);
    }

    public ReversibleConfig withReplayedDropout(double p) {
        return new ReversibleConfig(rule, boundary, state, fracBits, checkpointEvery, memory, p, true);
    }
}
