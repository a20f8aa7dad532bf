package org.leantrain.core.tensor;

/**
 * Per-thread switches of the autograd tape.
 *
 * <pre>{@code
 * try (var scope = GradMode.noGrad()) { ... nothing is recorded here ... }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});
    private static final ThreadLocal<boolean[]> ANOMALY = ThreadLocal.withInitial(() -> new boolean[] {false});

    private GradMode() {}

    /** Whether operations on this thread record a backward graph. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Whether backward checks every op's gradients for NaN/Inf (slower; names the op that produced them). */
    public static boolean isAnomalyDetectionEnabled() {
        return ANOMALY.get()[0];
    }

    /** A scope in which nothing is recorded; closing it restores the previous mode. */
    public static Scope noGrad() {
        return set(ENABLED, false);
    }

    /** A scope in which recording is on, e.g. to re-run a segment inside a custom backward. */
    public static Scope enableGrad() {
        return set(ENABLED, true);
    }

    /**
     * A scope in which backward checks each op's input gradients for NaN/Inf and names the op. Without it only
     * the final leaf gradients are checked, which costs one reduction per leaf instead of one per op.
     */
    public static Scope detectAnomaly() {
        return set(ANOMALY, true);
    }

    private static Scope set(ThreadLocal<boolean[]> flag, boolean value) {
        boolean[] cell = flag.get();
        boolean previous = cell[0];
        cell[0] = value;
        return () -> cell[0] = previous;
    }

    /** A try-with-resources scope that restores the previous setting and throws nothing. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
