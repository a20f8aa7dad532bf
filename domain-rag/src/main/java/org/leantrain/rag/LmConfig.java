package org.leantrain.rag;

/** The tiny causal LM's shape: vocabulary, width, layers, heads, feed-forward width, context length. */
public record LmConfig(int vocab, int dModel, int layers, int heads, int ffDim, int context) {
    public LmConfig {
        if (vocab < 2 || dModel < 1 || layers < 1 || heads < 1 || dModel % heads != 0 || ffDim < 1 || context < 2) {
            throw new IllegalArgumentException("invalid LM config (vocab ≥ 2, layers ≥ 1, dModel divisible by heads,"
                    + " context ≥ 2): " + this);
        }
    }

    /** The spec's quick model: d 64, 2 layers, 4 heads, ff 256, context 80. */
    public static LmConfig quick(int vocab) {
        return new LmConfig(vocab, 64, 2, 4, 256, 80);
    }

    /** The spec's full model: d 128, 4 layers (heads, feed-forward and context scaled as in the quick model). */
    public static LmConfig full(int vocab) {
        return new LmConfig(vocab, 128, 4, 4, 512, 80);
    }
}
