package org.leantrain.dropout;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.nn.Embedding;
import org.leantrain.core.nn.Init;
import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Embedding → L LSTM layers → linear decoder → softmax cross-entropy, with dropout at the L + 1 non-recurrent
 * sites (Zaremba placement): the embedding output, every layer's output. How the masks are drawn and applied is
 * the {@link DropoutPlan} passed to {@link #loss}; the parameters are the same for every variant.
 */
public final class LstmLanguageModel extends Module {
    private final LmConfig config;
    private final Embedding embedding;
    private final List<LstmLayer> layers = new ArrayList<>();
    private final Tensor decoderWeightT;
    private final Tensor decoderBias;

    /** Hidden and cell state of every layer, each [H, B]; carried across segments detached. */
    public record State(INDArray[] h, INDArray[] c) {}

    /** Mean cross-entropy (nats per token) of a segment and the state after it. */
    public record Output(Tensor loss, State state) {}

    public LstmLanguageModel(LmConfig config, Rng rng) {
        this.config = config;
        this.embedding = child("embedding", new Embedding(config.vocab(), config.embed(), config.type(), rng));
        for (int l = 0; l < config.layers(); l++) {
            int in = l == 0 ? config.embed() : config.hidden();
            layers.add(child("lstm" + l, new LstmLayer(in, config.hidden(), config.type(), rng)));
        }
        this.decoderWeightT = parameter("decoder_weight_t",
                Tensor.parameter(Init.fanInUniform(rng, config.type(), config.hidden(), config.hidden(), config.vocab())));
        this.decoderBias = parameter("decoder_bias", Tensor.parameter(Nd4j.zeros(config.type(), config.vocab())));
    }

    public LmConfig config() {
        return config;
    }

    public State zeroState(int batch) {
        INDArray[] h = new INDArray[layers.size()];
        INDArray[] c = new INDArray[layers.size()];
        for (int l = 0; l < h.length; l++) {
            h[l] = Nd4j.zeros(config.type(), config.hidden(), batch);
            c[l] = Nd4j.zeros(config.type(), config.hidden(), batch);
        }
        return new State(h, c);
    }

    /**
     * Loss of predicting {@code targets} from {@code inputs}, both [B][T] token ids, with the plan's dropout,
     * starting from {@code state} (the previous segment's, detached).
     */
    public Output loss(int[][] inputs, int[][] targets, DropoutPlan plan, State state) {
        int batch = inputs.length;
        int steps = batch == 0 ? 0 : inputs[0].length;
        if (batch < 1 || steps < 1) {
            throw new IllegalArgumentException("a segment needs B ≥ 1 rows of T ≥ 1 tokens, got B = " + batch
                    + ", T = " + steps);
        }
        if (plan.sites() != layers.size() + 1) {
            throw new IllegalArgumentException("the dropout plan has " + plan.sites() + " sites; this model has "
                    + (layers.size() + 1) + " (embedding + one per layer)");
        }
        if (plan.keptSets() != null) {
            plan.keptSets().check(config.siteWidths(), steps);
        }
        int[] ids = timeMajor(inputs, steps, "inputs");
        int[] labels = timeMajor(targets, steps, "targets");
        if (targets.length != batch) {
            throw new IllegalArgumentException(targets.length + " target rows for " + batch + " input rows");
        }
        if (state.h().length != layers.size() || state.h()[0].size(1) != batch) {
            throw new IllegalArgumentException("the carried state is for " + state.h().length + " layers and batch "
                    + state.h()[0].size(1) + "; the model has " + layers.size() + " layers, the segment batch " + batch);
        }
        // Feature-major activations [T, n, B]: a kept set is a set of contiguous rows.
        Tensor activations = embedding.lookup(ids).reshape(steps, batch, config.embed()).permute(0, 2, 1);
        INDArray[] h = new INDArray[layers.size()];
        INDArray[] c = new INDArray[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            LstmLayer.Output out = layers.get(l).forward(activations, plan, l,
                    Tensor.of(state.h()[l]), Tensor.of(state.c()[l]));
            activations = out.hiddenStates();
            h[l] = out.h().value();
            c[l] = out.c().value();
        }
        Tensor logits = plan.project(layers.size(), activations, decoderWeightT, decoderBias) // [T, V, B]
                .permute(0, 2, 1).reshape((long) steps * batch, config.vocab());
        return new Output(Losses.crossEntropy(logits, labels), new State(h, c));
    }

    private int[] timeMajor(int[][] rows, int steps, String what) {
        int[] flat = new int[rows.length * steps];
        for (int b = 0; b < rows.length; b++) {
            if (rows[b].length != steps) {
                throw new IllegalArgumentException(what + " row " + b + " has " + rows[b].length + " tokens, row 0 has "
                        + steps);
            }
            for (int t = 0; t < steps; t++) {
                int id = rows[b][t];
                if (id < 0 || id >= config.vocab()) {
                    throw new IllegalArgumentException(what + " token " + id + " at row " + b + ", step " + t
                            + " is outside [0, " + config.vocab() + ")");
                }
                flat[t * rows.length + b] = id;
            }
        }
        return flat;
    }

    public Embedding embedding() {
        return embedding;
    }

    @Override
    protected Tensor compute(Tensor input) {
        throw new UnsupportedOperationException("a language model runs through loss(inputs, targets, plan, state)");
    }
}
