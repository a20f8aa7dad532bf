package org.leantrain.reversible;

/**
 * Shape of a character LM: vocabulary V, width d, heads, layers L, positional table length, and the rows per chunk
 * of the chunked head + cross-entropy (0 = one chunk).
 */
public record LmShape(int vocab, int dim, int heads, int layers, int maxLength, int lossChunkRows) {
    public LmShape {
        if (vocab < 2) {
            throw new IllegalArgumentException("vocab must be >= 2, got " + vocab);
        }
        if (layers < 1) {
            throw new IllegalArgumentException("layers L must be >= 1, got " + layers);
        }
        if (dim < 1 || heads < 1 || dim % heads != 0) {
            throw new IllegalArgumentException("width d = " + dim + " must be divisible by heads = " + heads);
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be >= 1, got " + maxLength);
        }
        if (lossChunkRows < 0) {
            throw new IllegalArgumentException("lossChunkRows must be >= 0 (0 = unchunked), got " + lossChunkRows);
        }
    }

    public LmShape withLayers(int l) {
        return new LmShape(vocab, dim, heads, l, maxLength, lossChunkRows);
    }

    public LmShape withLossChunkRows(int rows) {
        return new LmShape(vocab, dim, heads, layers, maxLength, rows);
    }
}
