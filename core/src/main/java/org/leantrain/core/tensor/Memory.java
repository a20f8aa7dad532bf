package org.leantrain.core.tensor;

import java.util.IdentityHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bytes the autograd tape holds for backward, counted per thread.
 *
 * <p>Every op declares the arrays its backward keeps ("saved"); an array saved by several ops counts once, and
 * the values of parameters ({@link Tensor#parameter}) do not count, since they live with the model anyway.
 * The count rises when an op is recorded and falls when backward (or {@link Tensor#releaseGraph()}) frees the
 * op, so peak activation memory is a deterministic number that tests can assert on. Graphs that are dropped
 * without backward are not subtracted; call {@link #reset()} between experiments.
 */
public final class Memory {
    private static final ThreadLocal<Counter> COUNTER = ThreadLocal.withInitial(Counter::new);

    private Memory() {}

    /** Bytes currently held for backward by graphs recorded on this thread. */
    public static long savedBytes() {
        return COUNTER.get().current();
    }

    /** Highest {@link #savedBytes()} since the last {@link #resetPeak()} or {@link #reset()}. */
    public static long peakSavedBytes() {
        return COUNTER.get().peak();
    }

    /** Sets the peak to the current value. */
    public static void resetPeak() {
        COUNTER.get().resetPeak();
    }

    /** Forgets everything counted on this thread (live graphs recorded before are no longer counted). */
    public static void reset() {
        COUNTER.set(new Counter());
    }

    static Counter counter() {
        return COUNTER.get();
    }

    static long bytesOf(INDArray array) {
        return array.length() * array.dataType().width();
    }

    /** Reference-counted saved arrays; synchronized because a graph may be freed on another thread. */
    static final class Counter {
        private final Map<INDArray, int[]> refs = new IdentityHashMap<>();
        private long current;
        private long peak;

        synchronized void hold(INDArray[] arrays) {
            for (INDArray a : arrays) {
                int[] count = refs.computeIfAbsent(a, k -> new int[1]);
                if (count[0]++ == 0) {
                    current += bytesOf(a);
                }
            }
            peak = Math.max(peak, current);
        }

        synchronized void release(INDArray[] arrays) {
            for (INDArray a : arrays) {
                int[] count = refs.get(a);
                if (count != null && --count[0] == 0) {
                    refs.remove(a);
                    current -= bytesOf(a);
                }
            }
        }

        synchronized long current() {
            return current;
        }

        synchronized long peak() {
            return peak;
        }

        synchronized void resetPeak() {
            peak = current;
        }
    }
}
