package org.leantrain.pipeline;

import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Partition-invariant inverted dropout (spec §2, R2): the mask of element j of global sample row i in layer l at
 * step t comes from a counter-based key, not from a stream, so it is the same whatever K and M split the batch.
 * The caller says which step and which global rows a forward sees with {@link #rows}; {@link Pipeline},
 * {@link NonPipelinedTrainer} and {@link GradAccumulationTrainer} do this.
 */
public final class KeyedDropout extends Module {
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final ThreadLocal<long[]> ROWS = ThreadLocal.withInitial(() -> null);

    private final double p;
    private final long seed;
    private final long layer;

    /**
     * @param layer the global layer index l that keys this layer's masks; give each KeyedDropout of a model its own
     */
    public KeyedDropout(double p, long seed, long layer) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("KeyedDropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.seed = seed;
        this.layer = layer;
    }

    /** Forwards on this thread in the scope see step {@code step} and rows starting at global row {@code firstRow}. */
    public static GradMode.Scope rows(long step, long firstRow) {
        long[] previous = ROWS.get();
        ROWS.set(new long[] {step, firstRow});
        return () -> ROWS.set(previous);
    }

    /** SplitMix64's finalizer (64-bit wrap-around arithmetic). */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** key = mix64(mix64(mix64(seed ^ t) ^ l) ^ i). */
    public static long key(long seed, long step, long layer, long row) {
        return mix64(mix64(mix64(seed ^ step) ^ layer) ^ row);
    }

    /** u_j = (mix64(key + (j+1)·γ) >>> 40)·2^−24, uniform on a 2^−24 grid in [0, 1). */
    public static double uniform(long key, long j) {
        return (mix64(key + (j + 1) * GAMMA) >>> 40) * 0x1.0p-24;
    }

    @Override
    protected Tensor compute(Tensor x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        long[] context = ROWS.get();
        if (context == null) {
            throw new IllegalStateException("KeyedDropout needs to know the step and global rows of its input; run it"
                    + " through Pipeline/NonPipelinedTrainer/GradAccumulationTrainer or inside KeyedDropout.rows(step,"
                    + " firstRow)");
        }
        int n = Math.toIntExact(x.size(0));
        int perRow = Math.toIntExact(x.value().length() / Math.max(1, n));
        double scale = 1.0 / (1.0 - p);
        double[] mask = new double[n * perRow];
        for (int i = 0; i < n; i++) {
            long key = key(seed, context[0], layer, context[1] + i);
            for (int j = 0; j < perRow; j++) {
                mask[i * perRow + j] = uniform(key, j) >= p ? scale : 0.0;
            }
        }
        return x.mul(Tensor.of(Nd4j.create(mask, x.shape(), x.dataType())));
    }
}
