package org.leantrain.core.nn;

import java.util.Arrays;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small causal language model: token + learned position embeddings, pre-norm transformer blocks, a final
 * LayerNorm and a linear head. Offers the training loss, per-token log-probabilities of given sequences
 * (differentiable, for policy-gradient methods) and seeded sampling with temperature and top-k.
 */
public final class CausalLm extends Module {

    /** Validated model settings. */
    public record Config(int vocabSize, int dim, int heads, int layers, int maxLength, double dropout) {
        public Config {
            if (vocabSize < 2 || dim < 1 || heads < 1 || layers < 0 || maxLength < 2 || dim % heads != 0) {
                throw new IllegalArgumentException("invalid CausalLm config: vocabSize >= 2, dim divisible by heads,"
                        + " layers >= 0, maxLength >= 2 are required; got " + this);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("CausalLm dropout must be in [0, 1), got " + dropout);
            }
        }
    }

    private final Config config;
    private final Embedding tokens;
    private final Embedding positions;
    private final Sequential blocks;
    private final LayerNorm norm;
    private final Linear head;

    public CausalLm(Config config, DataType type, Rng rng) {
        this.config = config;
        this.tokens = child("tokens", new Embedding(config.vocabSize(), config.dim(), type, rng));
        this.positions = child("positions", new Embedding(config.maxLength(), config.dim(), type, rng));
        Sequential stack = new Sequential();
        for (int i = 0; i < config.layers(); i++) {
            stack.add(new TransformerBlock(config.dim(), config.heads(), 4 * config.dim(), true, config.dropout(), type,
                    rng));
        }
        this.blocks = child("blocks", stack);
        this.norm = child("norm", new LayerNorm(config.dim(), type));
        this.head = child("head", new Linear(config.dim(), config.vocabSize(), true, type, rng));
    }

    public Config config() {
        return config;
    }

    /** Logits [B, T, V] for token ids [B][T], T ≤ maxLength. */
    public Tensor logits(int[][] ids) {
        int t = ids[0].length;
        if (t < 1 || t > config.maxLength()) {
            throw new IllegalArgumentException("sequence length " + t + " is outside [1, " + config.maxLength() + "]");
        }
        int[] pos = new int[t];
        for (int i = 0; i < t; i++) {
            pos[i] = i;
        }
        Tensor h = tokens.lookup(ids).add(positions.lookup(pos));
        return head.forward(norm.forward(blocks.forward(h)));
    }

    /** Logits for ids given as a [B, T] tensor of whole numbers. */
    @Override
    protected Tensor compute(Tensor ids) {
        double[][] v = ids.value().toDoubleMatrix();
        int[][] asInts = new int[v.length][];
        for (int i = 0; i < v.length; i++) {
            asInts[i] = Arrays.stream(v[i]).mapToInt(d -> (int) d).toArray();
        }
        return logits(asInts);
    }

    /** Mean next-token cross-entropy of targets [B][T] given inputs [B][T] (targets usually inputs shifted by one). */
    public Tensor loss(int[][] inputs, int[][] targets) {
        Tensor logits = logits(inputs);
        long b = logits.size(0);
        long t = logits.size(1);
        int[] flat = new int[(int) (b * t)];
        for (int i = 0; i < b; i++) {
            if (targets[i].length != t) {
                throw new IllegalArgumentException("targets row " + i + " has " + targets[i].length + " ids, inputs " + t);
            }
            System.arraycopy(targets[i], 0, flat, (int) (i * t), (int) t);
        }
        return Losses.crossEntropy(logits.reshape(b * t, config.vocabSize()), flat);
    }

    /**
     * log p(x_t | x_&lt;t) for t = 1..T−1 of each sequence [B][T], as [B, T−1]; differentiable with respect to the
     * parameters.
     */
    public Tensor tokenLogProbs(int[][] sequences) {
        int b = sequences.length;
        int t = sequences[0].length;
        if (t < 2) {
            throw new IllegalArgumentException("tokenLogProbs needs sequences of at least 2 tokens, got " + t);
        }
        int[][] context = new int[b][];
        double[] oneHot = new double[b * (t - 1) * config.vocabSize()];
        for (int i = 0; i < b; i++) {
            context[i] = Arrays.copyOf(sequences[i], t - 1);
            for (int j = 1; j < t; j++) {
                int id = sequences[i][j];
                if (id < 0 || id >= config.vocabSize()) {
                    throw new IllegalArgumentException("token " + id + " is outside [0, " + config.vocabSize() + ")");
                }
                oneHot[(i * (t - 1) + j - 1) * config.vocabSize() + id] = 1;
            }
        }
        Tensor logProbs = logits(context).logSoftmax(-1);
        INDArray pick = Nd4j.create(oneHot, new long[] {b, t - 1, config.vocabSize()}, logProbs.dataType());
        return logProbs.mul(Tensor.of(pick)).sum(false, 2);
    }

    /**
     * Appends {@code count} sampled tokens to {@code prompt}: softmax(logits / temperature) restricted to the
     * {@code topK} most likely tokens (0 = all). Runs without recording; the context is cut to maxLength.
     */
    public int[] sample(int[] prompt, int count, double temperature, int topK, Rng rng) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("sampling needs a prompt of at least one token");
        }
        if (!(temperature > 0) || topK < 0 || count < 0) {
            throw new IllegalArgumentException("sampling needs temperature > 0, topK >= 0, count >= 0; got "
                    + temperature + ", " + topK + ", " + count);
        }
        int[] out = Arrays.copyOf(prompt, prompt.length + count);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int n = prompt.length; n < out.length; n++) {
                int from = Math.max(0, n - config.maxLength());
                int[][] context = {Arrays.copyOfRange(out, from, n)};
                Tensor logits = logits(context);
                double[] last = logits.value().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(n - from - 1),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).toDoubleVector();
                out[n] = Sampling.sample(last, temperature, topK, rng);
            }
        }
        return out;
    }
}
