package org.leantrain.core.nn;

import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head self-attention over [B, T, D]: softmax(Q·Kᵀ/√d_head + mask)·V per head, heads concatenated and
 * projected. With {@code causal}, position t attends to positions ≤ t only.
 */
public final class MultiHeadSelfAttention extends Module {
    private final Linear qkv;
    private final Linear out;
    private final int dim;
    private final int heads;
    private final boolean causal;
    private INDArray mask;

    public MultiHeadSelfAttention(int dim, int heads, boolean causal, DataType type, Rng rng) {
        if (dim < 1 || heads < 1 || dim % heads != 0) {
            throw new IllegalArgumentException("attention needs dim divisible by heads, got dim=" + dim + ", heads=" + heads);
        }
        this.dim = dim;
        this.heads = heads;
        this.causal = causal;
        this.qkv = child("qkv", new Linear(dim, 3L * dim, true, type, rng));
        this.out = child("out", new Linear(dim, dim, true, type, rng));
    }

    public Linear qkv() {
        return qkv;
    }

    public Linear out() {
        return out;
    }

    public int heads() {
        return heads;
    }

    @Override
    protected Tensor compute(Tensor x) {
        if (x.rank() != 3 || x.size(2) != dim) {
            throw new IllegalArgumentException("attention expects [B, T, " + dim + "], got "
                    + java.util.Arrays.toString(x.shape()));
        }
        long b = x.size(0);
        long t = x.size(1);
        long dh = dim / heads;
        Tensor[] parts = qkv.forward(x).split(2, dim, dim, dim);
        Tensor q = splitHeads(parts[0], b, t, dh);
        Tensor k = splitHeads(parts[1], b, t, dh);
        Tensor v = splitHeads(parts[2], b, t, dh);
        Tensor scores = q.matmul(k.transpose()).mul(1.0 / Math.sqrt(dh));
        if (causal) {
            scores = scores.maskedFill(futureMask(t), Double.NEGATIVE_INFINITY);
        }
        Tensor mixed = scores.softmax(-1).matmul(v); // [B·H, T, dh]
        Tensor merged = mixed.reshape(b, heads, t, dh).permute(0, 2, 1, 3).reshape(b, t, dim);
        return out.forward(merged);
    }

    /** [B, T, D] → [B·H, T, d_head]. */
    private Tensor splitHeads(Tensor x, long b, long t, long dh) {
        return x.reshape(b, t, heads, dh).permute(0, 2, 1, 3).reshape(b * heads, t, dh);
    }

    /** 1 above the diagonal (key after query), [T, T]; built once per length, not on every forward. */
    private INDArray futureMask(long t) {
        if (mask == null || mask.size(0) != t) {
            int n = Math.toIntExact(t);
            float[] values = new float[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    values[i * n + j] = 1;
                }
            }
            mask = StepMemory.outside(() -> Nd4j.create(values, new long[] {t, t}, 'c'));
        }
        return mask;
    }
}
