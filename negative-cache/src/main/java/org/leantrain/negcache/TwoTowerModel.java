package org.leantrain.negcache;

import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A query tower and a document tower (separate weights, L2-normalised outputs) and the score scale β. */
public final class TwoTowerModel extends Module {
    private final BagOfTokensTower queryTower;
    private final BagOfTokensTower docTower;
    private final double beta;

    public TwoTowerModel(int vocab, int dim, double beta, DataType type, Rng rng) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("score scale beta must be positive and finite, got " + beta);
        }
        this.queryTower = child("query", new BagOfTokensTower(vocab, dim, true, type, rng));
        this.docTower = child("doc", new BagOfTokensTower(vocab, dim, true, type, rng));
        this.beta = beta;
    }

    public double beta() {
        return beta;
    }

    public Tensor encodeQueries(int[][] tokens) {
        return queryTower.encode(tokens);
    }

    public Tensor encodeDocs(int[][] tokens) {
        return docTower.encode(tokens);
    }

    /** Document embeddings without recording (cache fills, refreshes, evaluation). */
    public INDArray encodeDocsNoGrad(int[][] tokens) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return docTower.encode(tokens).value().dup();
        }
    }

    public INDArray encodeQueriesNoGrad(int[][] tokens) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return queryTower.encode(tokens).value().dup();
        }
    }

    @Override
    protected Tensor compute(Tensor input) {
        throw new UnsupportedOperationException("encode queries and documents with encodeQueries/encodeDocs");
    }
}
