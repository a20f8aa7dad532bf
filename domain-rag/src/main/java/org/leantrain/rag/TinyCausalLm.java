package org.leantrain.rag;

import java.util.List;
import java.util.Map;
import org.leantrain.core.nn.Embedding;
import org.leantrain.core.nn.LayerNorm;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.nn.TransformerBlock;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Nd;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The small causal LM of the miniature (spec §4): token and learned position embeddings initialised N(0, 0.02),
 * core pre-norm transformer blocks, a final LayerNorm and a head tied to the token embeddings.
 *
 * <p>Batches are <b>right</b>-padded: under causal attention a real token never attends to the padding after it,
 * and positions count from the first token of every row, so no key mask is needed and padded and unpadded rows give
 * identical log-probabilities (tested). Generation keeps one length per row.
 */
public final class TinyCausalLm extends Module {
    private final LmConfig config;
    private final DataType type;
    private final Embedding tokens;
    private final Embedding positions;
    private final Sequential blocks;
    private final LayerNorm norm;

    public TinyCausalLm(LmConfig config, DataType type, Rng rng) {
        this.config = config;
        this.type = type;
        this.tokens = child("tokens", new Embedding(config.vocab(), config.dModel(), type, rng));
        this.positions = child("positions", new Embedding(config.context(), config.dModel(), type, rng));
        // N(0, 1) embeddings give an initial loss near 45 instead of ln |V| ≈ 6.9 (spec §9)
        tokens.table().value().assign(rng.normal(type, 0, 0.02, config.vocab(), config.dModel()));
        positions.table().value().assign(rng.normal(type, 0, 0.02, config.context(), config.dModel()));
        Sequential stack = new Sequential();
        for (int i = 0; i < config.layers(); i++) {
            stack.add(new TransformerBlock(config.dModel(), config.heads(), config.ffDim(), true, 0, type, rng));
        }
        this.blocks = child("blocks", stack);
        this.norm = child("norm", new LayerNorm(config.dModel(), type));
    }

    Embedding tokenEmbedding() {
        return tokens;
    }

    Embedding positionEmbedding() {
        return positions;
    }

    List<TransformerBlock> blockList() {
        return blocks.layers().stream().map(m -> (TransformerBlock) m).toList();
    }

    LayerNorm finalNorm() {
        return norm;
    }

    public LmConfig config() {
        return config;
    }

    public DataType dataType() {
        return type;
    }

    /** Logits [B, T, V] for right-padded token ids [B][T] (T ≤ context). */
    public Tensor logits(int[][] ids) {
        long b = ids.length;
        int t = ids[0].length;
        return hidden(ids).reshape(b * t, config.dModel()).matmul(tokens.table().transpose())
                .reshape(b, t, config.vocab());
    }

    /** The final-LayerNorm states [B, T, d]. */
    private Tensor hidden(int[][] ids) {
        int t = ids[0].length;
        if (t < 1 || t > config.context()) {
            throw new IllegalArgumentException("sequence length " + t + " is outside [1, " + config.context()
                    + "]: cut or drop sequences longer than the context");
        }
        int[] pos = new int[t];
        for (int i = 0; i < t; i++) {
            pos[i] = i;
        }
        Tensor h = tokens.lookup(ids).add(positions.lookup(pos));
        return norm.forward(blocks.forward(h));
    }

    /**
     * Next-token logits [B][V] after each row's last real token (row i has {@code lengths[i]} tokens), computing the
     * tied head only at those positions; no tape.
     */
    public double[][] nextTokenLogits(int[][] ids, int[] lengths) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            int b = ids.length;
            int t = ids[0].length;
            int[] rows = new int[b];
            for (int i = 0; i < b; i++) {
                rows[i] = i * t + lengths[i] - 1;
            }
            return headRows(hidden(ids).reshape((long) b * t, config.dModel()).indexSelect(rows));
        }
    }

    /** The tied head on final-LayerNorm states [N, d], as N rows of logits. */
    double[][] headRows(Tensor states) {
        INDArray logits = states.matmul(tokens.table().transpose()).value();
        double[] flat = Nd.doubles(logits.castTo(DataType.DOUBLE));
        int n = Math.toIntExact(logits.size(0));
        double[][] out = new double[n][config.vocab()];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * config.vocab(), out[i], 0, config.vocab());
        }
        return out;
    }

    @Override
    protected Tensor compute(Tensor ids) {
        throw new UnsupportedOperationException("call logits(int[][]) with token ids");
    }

    /**
     * log p(x_{t+1} | x_≤t) for every row of right-padded sequences [B][T] with the given lengths, as [B, T−1];
     * entries past a row's length are 0 (and carry no gradient).
     */
    public Tensor tokenLogProbs(int[][] ids, int[] lengths) {
        int b = ids.length;
        int t = ids[0].length;
        if (t < 2) {
            throw new IllegalArgumentException("need sequences of at least 2 tokens, got " + t);
        }
        int[][] inputs = new int[b][];
        int[] targets = new int[b * (t - 1)];
        for (int i = 0; i < b; i++) {
            inputs[i] = java.util.Arrays.copyOf(ids[i], t - 1);
            for (int j = 1; j < t; j++) {
                targets[i * (t - 1) + j - 1] = j < lengths[i] ? ids[i][j] : -1;
            }
        }
        Tensor logits = logits(inputs).reshape((long) b * (t - 1), config.vocab());
        return TargetLogProbs.of(logits, targets).reshape(b, t - 1);
    }

    /** A copy with the same weights (for the frozen base p_0 or the GRPO reference), in eval mode. */
    public TinyCausalLm copy() {
        TinyCausalLm c = new TinyCausalLm(config, type, new Rng(0));
        Map<String, Tensor> mine = namedParameters();
        for (Map.Entry<String, Tensor> e : c.namedParameters().entrySet()) {
            e.getValue().value().assign(mine.get(e.getKey()).value());
        }
        c.eval();
        return c;
    }
}
