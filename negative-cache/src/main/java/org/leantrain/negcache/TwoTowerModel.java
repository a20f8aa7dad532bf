package org.leantrain.negcache;

import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A query tower and a document tower (separate weights, L2-normalised outputs) and the score scale β: scores are
 * β·⟨q, d⟩. A fixed β is applied by the losses ({@link #scoreScale}); a trainable β (spec §4 ScoreTransform) is a
 * parameter log β that scales the query embeddings instead, so every loss trains it and rankings are unchanged.
 */
public final class TwoTowerModel extends Module {
    private final BagOfTokensTower queryTower;
    private final BagOfTokensTower docTower;
    private final double beta;
    private final Tensor logBeta; // null when β is fixed

    public TwoTowerModel(int vocab, int dim, double beta, DataType type, Rng rng) {
        this(vocab, dim, beta, false, type, rng);
    }

    public TwoTowerModel(int vocab, int dim, double beta, boolean trainableBeta, DataType type, Rng rng) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("score scale beta must be positive and finite, got " + beta);
        }
        this.queryTower = child("query", new BagOfTokensTower(vocab, dim, true, type, rng));
        this.docTower = child("doc", new BagOfTokensTower(vocab, dim, true, type, rng));
        this.beta = beta;
        this.logBeta = trainableBeta ? parameter("logBeta", Tensor.parameter(
                org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {1, 1}, Math.log(beta), type))) : null;
    }

    /** The scale the losses multiply scores by: β when fixed, 1 when β lives in the query embeddings. */
    public double scoreScale() {
        return logBeta == null ? beta : 1;
    }

    /** The current β (the learned one when trainable). */
    public double beta() {
        return logBeta == null ? beta : Math.exp(logBeta.value().getDouble(0));
    }

    public boolean trainableBeta() {
        return logBeta != null;
    }

    /** Query embeddings, times β when β is trainable. */
    public Tensor encodeQueries(int[][] tokens) {
        Tensor q = queryTower.encode(tokens);
        return logBeta == null ? q : q.mul(logBeta.exp());
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
            return encodeQueries(tokens).value().dup();
        }
    }

    @Override
    protected Tensor compute(Tensor input) {
        throw new UnsupportedOperationException("encode queries and documents with encodeQueries/encodeDocs");
    }
}
