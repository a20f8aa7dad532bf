package org.leantrain.reversible;

import java.util.function.IntToLongFunction;
import java.util.function.Supplier;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.Tensor;

/**
 * Activation memory from core's saved-bytes counter: deterministic, so max-batch search needs no OOM (spec §3).
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    /** Peak bytes held for backward during one forward + backward of {@code loss} (built inside). */
    public static long peakSavedBytes(Supplier<Tensor> loss) {
        Memory.reset();
        Tensor l = loss.get();
        l.backward();
        long peak = Memory.peakSavedBytes();
        Memory.reset();
        return peak;
    }

    /**
     * The largest batch whose peak saved bytes fit the budget: double B from 1 until it no longer fits, then
     * binary-search between the last two values. Returns 0 when even B = 1 does not fit.
     */
    public static int maxBatch(IntToLongFunction peakBytesAtBatch, long budget, int limit) {
        if (budget < 1 || limit < 1) {
            throw new IllegalArgumentException("budget and limit must be positive, got " + budget + ", " + limit);
        }
        if (peakBytesAtBatch.applyAsLong(1) > budget) {
            return 0;
        }
        int fits = 1;
        while (2L * fits <= limit) {
            if (peakBytesAtBatch.applyAsLong(2 * fits) > budget) {
                return search(peakBytesAtBatch, budget, fits, 2 * fits);
            }
            fits *= 2;
        }
        return search(peakBytesAtBatch, budget, fits, limit + 1);
    }

    private static int search(IntToLongFunction peak, long budget, int fits, int fails) {
        while (fails - fits > 1) {
            int mid = (fits + fails) >>> 1;
            if (peak.applyAsLong(mid) <= budget) {
                fits = mid;
            } else {
                fails = mid;
            }
        }
        return fits;
    }
}
