package org.leantrain.dropout;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * An LSTM language model and its training: sizes, truncated-BPTT segment length, batch (parallel streams),
 * dropout, gradient clipping and the Adam learning rate.
 */
public record LmConfig(int vocab, int embed, int hidden, int layers, int bptt, int batch, DropoutConfig dropout,
        double clip, double learningRate, DataType type) {

    public LmConfig {
        positive("vocab", vocab);
        positive("embed", embed);
        positive("hidden", hidden);
        positive("layers", layers);
        positive("bptt (T)", bptt);
        positive("batch (B)", batch);
        if (dropout == null) {
            throw new IllegalArgumentException("a dropout config is needed (p = 0 for none)");
        }
        if (!(clip > 0) || !(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("clip and learning rate must be positive and finite, got clip " + clip
                    + ", lr " + learningRate);
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("type must be FLOAT or DOUBLE, got " + type);
        }
        dropout.checkWidth(embed);
        dropout.checkWidth(hidden);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    /** The spec's quick configuration: 2 × 256, d_e = 256, B = 32, T = 50, p = 0.5, Adam 2e-3, clip 5. */
    public static LmConfig quick(int vocab, long seed) {
        return new LmConfig(vocab, 256, 256, 2, 50, 32, DropoutConfig.of(0.5, seed), 5, 2e-3, DataType.FLOAT);
    }

    public LmConfig withDropout(DropoutConfig d) {
        return new LmConfig(vocab, embed, hidden, layers, bptt, batch, d, clip, learningRate, type);
    }

    /** The unit counts of the L + 1 dropout sites: the embedding, then every layer's output. */
    public int[] siteWidths() {
        int[] widths = new int[layers + 1];
        widths[0] = embed;
        for (int s = 1; s <= layers; s++) {
            widths[s] = hidden;
        }
        return widths;
    }
}
