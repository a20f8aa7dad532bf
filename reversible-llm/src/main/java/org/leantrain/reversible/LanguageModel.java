package org.leantrain.reversible;

import java.util.List;
import org.leantrain.core.nn.Embedding;
import org.leantrain.core.nn.LayerNorm;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What the standard and the reversible character LMs share: token + learned position embeddings, L pre-norm
 * blocks (how they are integrated is the subclass's {@link #body}), a final LayerNorm and an untied linear head, with
 * the chunked loss and a full validation pass.
 */
public abstract class LanguageModel extends Module {
    protected final LmShape shape;
    protected final DropoutKeys dropoutKeys;
    private final Embedding tokens;
    private final Embedding positions;
    private final LayerNorm norm;
    private final Linear head;
    private final ChunkedLmLoss chunkedLoss;

    protected LanguageModel(LmShape shape, DataType type, Rng rng) {
        this.shape = shape;
        this.dropoutKeys = new DropoutKeys(rng.nextLong());
        this.tokens = child("tokens", new Embedding(shape.vocab(), shape.dim(), type, rng));
        this.positions = child("positions", new Embedding(shape.maxLength(), shape.dim(), type, rng));
        this.norm = new LayerNorm(shape.dim(), type);
        this.head = new Linear(shape.dim(), shape.vocab(), true, type, rng);
        this.chunkedLoss = new ChunkedLmLoss(norm, head);
    }

    /** Registers the final norm and head after the blocks, so parameters are listed in network order. */
    protected final void registerReadout() {
        child("norm", norm);
        child("head", head);
    }

    /** The hidden states after the last layer, [B, T, d], from the embedding e. */
    protected abstract Tensor body(Tensor e);

    /** The L transformer blocks, layer 0 first. */
    public abstract List<Block> blocks();

    public LmShape shape() {
        return shape;
    }

    public Embedding tokens() {
        return tokens;
    }

    public Embedding positions() {
        return positions;
    }

    public LayerNorm norm() {
        return norm;
    }

    public Linear head() {
        return head;
    }

    /** e = token embedding + position embedding, [B, T, d]; checks ids and T. */
    public Tensor embed(int[][] ids) {
        if (ids.length == 0 || ids[0].length == 0) {
            throw new IllegalArgumentException("need at least one sequence of at least one token");
        }
        int t = ids[0].length;
        if (t > shape.maxLength()) {
            throw new IllegalArgumentException("sequence length T = " + t + " exceeds the positional table ("
                    + shape.maxLength() + "); use shorter windows or a larger maxLength");
        }
        for (int[] row : ids) {
            for (int id : row) {
                if (id < 0 || id >= shape.vocab()) {
                    throw new IllegalArgumentException("token id " + id + " is outside [0, " + shape.vocab() + ")");
                }
            }
        }
        int[] pos = new int[t];
        for (int i = 0; i < t; i++) {
            pos[i] = i;
        }
        return tokens.lookup(ids).add(positions.lookup(pos));
    }

    /** Last hidden states [B, T, d]; a training forward moves the dropout keys to a new step. */
    public Tensor hidden(int[][] ids) {
        if (isTraining()) {
            dropoutKeys.nextStep();
        }
        return body(embed(ids));
    }

    /** Logits [B, T, V]. */
    public Tensor logits(int[][] ids) {
        return head.forward(norm.forward(hidden(ids)));
    }

    /** Mean next-token cross-entropy (nats) of targets [B][T] given inputs [B][T], head and loss chunked. */
    public Tensor loss(int[][] inputs, int[][] targets) {
        Tensor h = hidden(inputs);
        return chunkedLoss.loss(h, flatten(targets, inputs[0].length), shape.lossChunkRows());
    }

    /**
     * Mean cross-entropy (nats per character) over {@code ids} cut into non-overlapping windows of {@code window}
     * inputs (each predicting the next {@code window} characters), in batches, in eval mode without recording.
     */
    public double evaluate(int[] ids, int window, int batch) {
        int windows = (ids.length - 1) / window;
        if (windows < 1) {
            throw new IllegalArgumentException("need more than " + window + " ids to evaluate, got " + ids.length);
        }
        boolean wasTraining = isTraining();
        eval();
        double total = 0;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int w = 0; w < windows; w += batch) {
                int n = Math.min(batch, windows - w);
                int[][] in = new int[n][window];
                int[][] out = new int[n][window];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(ids, (w + i) * window, in[i], 0, window);
                    System.arraycopy(ids, (w + i) * window + 1, out[i], 0, window);
                }
                // one recycled scope per batch (unless the caller has one open), so evaluation adds no native memory
                try (StepMemory batchMemory = StepMemory.isOpen() ? null : StepMemory.open()) {
                    Tensor logits = logits(in);
                    total += Losses.crossEntropy(logits.reshape((long) n * window, shape.vocab()),
                            flatten(out, window)).item() * n;
                }
            }
        } finally {
            train(wasTraining);
        }
        return total / windows;
    }

    @Override
    protected Tensor compute(Tensor ids) {
        double[][] v = ids.value().toDoubleMatrix();
        int[][] asInts = new int[v.length][];
        for (int i = 0; i < v.length; i++) {
            asInts[i] = java.util.Arrays.stream(v[i]).mapToInt(d -> (int) d).toArray();
        }
        return logits(asInts);
    }

    /** Rows of {@code t} ids, one after another (checks every row has t). */
    public static int[] flatten(int[][] rows, int t) {
        int[] flat = new int[rows.length * t];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != t) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " ids, expected " + t);
            }
            System.arraycopy(rows[i], 0, flat, i * t, t);
        }
        return flat;
    }
}
