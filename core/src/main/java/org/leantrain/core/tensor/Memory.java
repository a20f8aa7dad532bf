package org.leantrain.core.tensor;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bytes the autograd tape holds for backward, counted per thread.
 *
 * <p>Every op declares the arrays its backward keeps ("saved"); an array saved by several ops counts once (so does a
 * view over the same bytes, e.g. a flatten of a saved activation: arrays with the same buffer, offset and length), and
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
        private final Map<Region, int[]> refs = new HashMap<>();
        private long current;
        private long peak;

        synchronized void hold(INDArray[] arrays) {
            for (INDArray a : arrays) {
                int[] count = refs.computeIfAbsent(new Region(a), k -> new int[1]);
                if (count[0]++ == 0) {
                    current += bytesOf(a);
                }
            }
            peak = Math.max(peak, current);
        }

        synchronized void release(INDArray[] arrays) {
            for (INDArray a : arrays) {
                Region region = new Region(a);
                int[] count = refs.get(region);
                if (count != null && --count[0] == 0) {
                    refs.remove(region);
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

    /**
     * The bytes an array covers: the native address of its buffer, where it starts in it and how many elements it
     * spans (views get their own buffer objects over the same memory, so identity would count them twice). The
     * buffer is held so that its memory cannot be freed and reused while the region is counted.
     */
    private static final class Region {
        private final DataBuffer buffer;
        private final long address;
        private final long offset;
        private final long length;

        Region(INDArray a) {
            this.buffer = a.data();
            this.address = buffer.address();
            this.offset = a.offset();
            this.length = a.length();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Region r && r.address == address && r.offset == offset && r.length == length;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(address * 31 + offset) * 31 + Long.hashCode(length);
        }
    }
}
