package org.leantrain.negcache;

import org.leantrain.core.nn.Embedding;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A small encoder of token bags: m = mean of the tokens' embeddings (N(0, 0.1²)), u = tanh(m·W1 + b1),
 * out = u·W2 + b2 + u, optionally L2-normalised. One tower for queries, another for documents.
 */
public final class BagOfTokensTower extends Module {
    private final Embedding embedding;
    private final Linear first;
    private final Linear second;
    private final int vocab;
    private final boolean normalize;

    public BagOfTokensTower(int vocab, int dim, boolean normalize, DataType type, Rng rng) {
        if (vocab < 1 || dim < 1) {
            throw new IllegalArgumentException("tower needs vocab and width >= 1, got " + vocab + ", " + dim);
        }
        this.vocab = vocab;
        this.normalize = normalize;
        this.embedding = child("embedding", new Embedding(vocab, dim, type, rng));
        embedding.table().value().muli(0.1);
        this.first = child("first", new Linear(dim, dim, true, type, rng));
        this.second = child("second", new Linear(dim, dim, true, type, rng));
    }

    /** Encodes token bags [k][L] (every bag the same length) as [k, dim]. */
    public Tensor encode(int[][] tokens) {
        if (tokens.length == 0 || tokens[0].length == 0) {
            throw new IllegalArgumentException("a tower needs at least one bag of at least one token");
        }
        for (int i = 0; i < tokens.length; i++) {
            for (int token : tokens[i]) {
                if (token < 0 || token >= vocab) {
                    throw new IllegalArgumentException("token " + token + " in bag " + i + " is outside [0, " + vocab
                            + ")");
                }
            }
        }
        Tensor mean = embedding.bagMean(tokens); // also checks that every bag has the same length
        Tensor u = first.forward(mean).tanh();
        Tensor out = second.forward(u).add(u);
        return normalize ? out.normalize(1, 1e-12) : out;
    }

    @Override
    protected Tensor compute(Tensor input) {
        throw new UnsupportedOperationException("a tower encodes token bags: use encode(int[][])");
    }
}
