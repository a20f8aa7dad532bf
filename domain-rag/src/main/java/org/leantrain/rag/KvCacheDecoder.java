package org.leantrain.rag;

import java.util.List;
import org.leantrain.core.nn.MultiHeadSelfAttention;
import org.leantrain.core.nn.TransformerBlock;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Incremental decoding for {@link TinyCausalLm}: the keys and values of every position already seen are kept per
 * layer, so a new token costs one position's projections and one attention row per layer instead of a pass over the
 * whole prefix.
 *
 * <p>Layout: the right-padded prompts fill columns [0, P) (P the longest prompt); the i-th generated token of every
 * row goes to column P + i. A row's padding columns are masked as keys, and its positions continue from its own
 * length, so every row sees exactly what the full forward pass of its own unpadded sequence sees (tested against
 * {@link TinyCausalLm#nextTokenLogits}). No tape; the model has no dropout.
 */
final class KvCacheDecoder {
    private static final double MASKED = -1e9;

    private final TinyCausalLm lm;
    private final List<TransformerBlock> blocks;
    private final int rows;
    private final int heads;
    private final int headDim;
    private final int promptWidth;
    private final int[] promptLengths;
    private final INDArray[] keys;
    private final INDArray[] values;
    private int filled;

    /** Room for the prompts and {@code maxNewTokens} appended tokens per row. */
    KvCacheDecoder(TinyCausalLm lm, List<int[]> prompts, int maxNewTokens) {
        this.lm = lm;
        this.blocks = lm.blockList();
        this.rows = prompts.size();
        MultiHeadSelfAttention attention = blocks.get(0).attention();
        this.heads = attention.heads();
        this.headDim = lm.config().dModel() / heads;
        this.promptLengths = prompts.stream().mapToInt(p -> p.length).toArray();
        int widest = 0;
        for (int length : promptLengths) {
            widest = Math.max(widest, length);
        }
        this.promptWidth = widest;
        int width = widest + maxNewTokens;
        this.keys = new INDArray[blocks.size()];
        this.values = new INDArray[blocks.size()];
        for (int l = 0; l < blocks.size(); l++) {
            keys[l] = StepMemory.outside(() -> Nd4j.zeros(lm.dataType(), (long) rows * heads, width, headDim));
            values[l] = StepMemory.outside(() -> Nd4j.zeros(lm.dataType(), (long) rows * heads, width, headDim));
        }
    }

    /** Runs the prompts; next-token logits [B][V] after each row's last prompt token. */
    double[][] prefill(List<int[]> prompts) {
        if (filled != 0) {
            throw new IllegalStateException("prefill runs once, before any append");
        }
        int[][] columns = new int[rows][promptWidth];
        int[] last = new int[rows];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(prompts.get(i), 0, columns[i], 0, promptLengths[i]);
            last[i] = promptLengths[i] - 1;
        }
        return extend(columns, last);
    }

    /** Appends one token per row (any id for rows whose output is no longer used); the next-token logits [B][V]. */
    double[][] append(int[] tokens) {
        if (filled < promptWidth) {
            throw new IllegalStateException("append before prefill");
        }
        if (filled >= keys[0].size(1)) {
            throw new IllegalStateException("the cache holds " + (keys[0].size(1) - promptWidth) + " new tokens per row");
        }
        int[][] columns = new int[rows][1];
        for (int i = 0; i < rows; i++) {
            columns[i][0] = tokens[i];
        }
        return extend(columns, new int[rows]);
    }

    /** Writes the tokens of columns [filled, filled + w) for every row; logits at column filled + at[i] of row i. */
    private double[][] extend(int[][] tokens, int[] at) {
        int w = tokens[0].length;
        int from = filled;
        int to = from + w;
        int context = lm.config().context();
        int[] ids = new int[rows * w];
        int[] pos = new int[rows * w];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < w; j++) {
                ids[i * w + j] = tokens[i][j];
                // finished rows may run past the context; their outputs are never used
                pos[i * w + j] = Math.min(context - 1, position(i, from + j));
            }
        }
        int dim = lm.config().dModel();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor x = lm.tokenEmbedding().lookup(ids).add(lm.positionEmbedding().lookup(pos)); // [B·w, D]
            int width = (int) keys[0].size(1);
            long[] biasShape = {(long) rows * heads, w, width};
            Tensor bias = Tensor.of(Nd4j.create(keyBias(from, w, width), biasShape, 'c').castTo(lm.dataType()));
            for (int l = 0; l < blocks.size(); l++) {
                TransformerBlock block = blocks.get(l);
                MultiHeadSelfAttention attention = block.attention();
                Tensor[] qkv = attention.qkv().forward(block.norm1().forward(x)).split(1, dim, dim, dim);
                keys[l].get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all())
                        .assign(headsFirst(qkv[1], w).value());
                values[l].get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all())
                        .assign(headsFirst(qkv[2], w).value());
                // every column, written or not: the bias masks the later ones, and whole arrays stay contiguous
                Tensor k = Tensor.of(keys[l]);
                Tensor v = Tensor.of(values[l]);
                Tensor scores = headsFirst(qkv[0], w).matmul(k.transpose()).mul(1.0 / Math.sqrt(headDim)).add(bias);
                Tensor mixed = scores.softmax(-1).matmul(v) // [B·H, w, dh]
                        .reshape(rows, heads, w, headDim).permute(0, 2, 1, 3).reshape((long) rows * w, dim);
                x = x.add(attention.out().forward(mixed));
                x = x.add(block.down().forward(block.up().forward(block.norm2().forward(x)).gelu()));
            }
            int[] select = new int[rows];
            for (int i = 0; i < rows; i++) {
                select[i] = i * w + at[i];
            }
            filled = to;
            return lm.headRows(lm.finalNorm().forward(x.indexSelect(select)));
        }
    }

    /** Row i's position at a column: the column inside the prompt, its own length plus the step after it. */
    private int position(int row, int column) {
        return column < promptWidth ? column : promptLengths[row] + column - promptWidth;
    }

    /** [B·w, D] → [B·H, w, d_head], the cache's layout. */
    private Tensor headsFirst(Tensor x, int w) {
        return x.reshape(rows, w, heads, headDim).permute(0, 2, 1, 3).reshape((long) rows * heads, w, headDim);
    }

    /**
     * Additive key bias [B·H, w, width] for queries at columns [from, from + w): 0 where the key is at or before the
     * query and is a real token of the row (a prompt column below its length, or any generated column), else masked.
     */
    private float[] keyBias(int from, int w, int width) {
        float[] bias = new float[rows * heads * w * width];
        for (int i = 0; i < rows; i++) {
            for (int q = 0; q < w; q++) {
                int query = from + q;
                for (int key = 0; key < width; key++) {
                    boolean real = key >= promptWidth || key < promptLengths[i];
                    float b = key <= query && real ? 0f : (float) MASKED;
                    for (int h = 0; h < heads; h++) {
                        bias[((i * heads + h) * w + q) * width + key] = b;
                    }
                }
            }
        }
        return bias;
    }
}
