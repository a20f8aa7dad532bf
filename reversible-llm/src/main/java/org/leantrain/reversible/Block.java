package org.leantrain.reversible;

import org.leantrain.core.nn.LayerNorm;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.MultiHeadSelfAttention;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The pre-norm causal transformer block of both LMs, split into branches: 𝒜(p) = Attn(LN1(p)),
 * 𝓜(p) = W_down·GELU(W_up·LN2(p)) with a 4× MLP. Dropout on each branch output uses {@link DropoutKeys}, so a
 * recompute draws the same mask.
 */
public final class Block extends Branches {
    static final int ATTN_BRANCH = 0;
    static final int MLP_BRANCH = 1;

    private final LayerNorm norm1;
    private final MultiHeadSelfAttention attention;
    private final LayerNorm norm2;
    private final Linear up;
    private final Linear down;
    private final int layer;
    private final double dropout;
    private final DropoutKeys keys;

    public Block(int dim, int heads, int layer, double dropout, DropoutKeys keys, DataType type, Rng rng) {
        if (dropout > 0 && keys == null) {
            throw new IllegalArgumentException("dropout " + dropout + " needs DropoutKeys for replay");
        }
        this.norm1 = child("norm1", new LayerNorm(dim, type));
        this.attention = child("attention", new MultiHeadSelfAttention(dim, heads, true, type, rng));
        this.norm2 = child("norm2", new LayerNorm(dim, type));
        this.up = child("up", new Linear(dim, 4L * dim, true, type, rng));
        this.down = child("down", new Linear(4L * dim, dim, true, type, rng));
        this.layer = layer;
        this.dropout = dropout;
        this.keys = keys;
    }

    @Override
    public Tensor attn(Tensor p) {
        return drop(attention.forward(norm1.forward(p)), ATTN_BRANCH);
    }

    @Override
    public Tensor mlp(Tensor p) {
        return drop(down.forward(up.forward(norm2.forward(p)).gelu()), MLP_BRANCH);
    }

    private Tensor drop(Tensor x, int branch) {
        if (!isTraining() || dropout == 0) {
            return x;
        }
        Rng rng = keys.rng(layer, branch);
        return x.mul(Tensor.of(rng.bernoulli(x.dataType(), 1 - dropout, x.shape()).divi(1 - dropout)));
    }
}
