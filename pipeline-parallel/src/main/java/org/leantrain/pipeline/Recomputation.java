package org.leantrain.pipeline;

import org.leantrain.core.tensor.GradMode;

/**
 * Marks, per thread, that a forward is a re-materialization of one already run. Layers with side effects
 * (batch-norm statistics, counters) must skip them while this is active, or they would count a micro-batch twice.
 */
public final class Recomputation {
    private static final ThreadLocal<boolean[]> ACTIVE = ThreadLocal.withInitial(() -> new boolean[1]);

    private Recomputation() {}

    public static boolean active() {
        return ACTIVE.get()[0];
    }

    /** A scope in which {@link #active()} holds; closing it restores the previous value. */
    public static GradMode.Scope enter() {
        boolean[] cell = ACTIVE.get();
        boolean previous = cell[0];
        cell[0] = true;
        return () -> cell[0] = previous;
    }
}
