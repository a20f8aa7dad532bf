package org.leantrain.core.nn;

import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Pre-norm transformer block: x + Attn(LN(x)), then x + MLP(LN(x)) with a GELU MLP of width {@code hidden}. */
public final class TransformerBlock extends Module {
    private final LayerNorm norm1;
    private final MultiHeadSelfAttention attention;
    private final LayerNorm norm2;
    private final Linear up;
    private final Linear down;
    private final Dropout dropout;

    public TransformerBlock(int dim, int heads, int hidden, boolean causal, double dropoutP, DataType type, Rng rng) {
        this.norm1 = child("norm1", new LayerNorm(dim, type));
        this.attention = child("attention", new MultiHeadSelfAttention(dim, heads, causal, type, rng));
        this.norm2 = child("norm2", new LayerNorm(dim, type));
        this.up = child("up", new Linear(dim, hidden, true, type, rng));
        this.down = child("down", new Linear(hidden, dim, true, type, rng));
        this.dropout = child("dropout", new Dropout(dropoutP, rng.split()));
    }

    public MultiHeadSelfAttention attention() {
        return attention;
    }

    public LayerNorm norm1() {
        return norm1;
    }

    public LayerNorm norm2() {
        return norm2;
    }

    /** The MLP's input projection (GELU follows). */
    public Linear up() {
        return up;
    }

    public Linear down() {
        return down;
    }

    @Override
    protected Tensor compute(Tensor x) {
        Tensor h = x.add(dropout.forward(attention.forward(norm1.forward(x))));
        return h.add(dropout.forward(down.forward(up.forward(norm2.forward(h)).gelu())));
    }
}
