package org.leantrain.negcache;

import java.util.stream.IntStream;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.factory.Nd4j;

/** The baselines' losses: softmax cross-entropy over the batch's positives, or over the whole corpus. */
public final class SoftmaxLosses {
    private static final double MASKED = -1e30;

    private SoftmaxLosses() {}

    /**
     * In-batch: S = β·F·Gᵀ (B × B), mean_i (−S_ii + LSE_k S_ik); another row holding the same document as row i is
     * masked out of row i (it is not a negative). The mask is a constant added score (a large finite negative, as
     * core's cross-entropy multiplies log-probabilities by the one-hot target and −∞·0 would be NaN), so backward
     * keeps nothing for it: what the loss saves is its B × B log-probabilities alone.
     */
    public static Tensor inBatch(Tensor queries, Tensor docs, int[] docIds, double beta) {
        int batch = docIds.length;
        Tensor scores = queries.matmulTransposed(docs).mul(beta);
        double[][] mask = new double[batch][batch];
        boolean any = false;
        for (int i = 0; i < batch; i++) {
            for (int k = 0; k < batch; k++) {
                if (k != i && docIds[k] == docIds[i]) {
                    mask[i][k] = MASKED;
                    any = true;
                }
            }
        }
        if (any) {
            scores = scores.add(Tensor.of(Nd4j.createFromArray(mask).castTo(scores.dataType())));
        }
        return Losses.crossEntropy(scores, IntStream.range(0, batch).toArray());
    }

    /** Full softmax: every corpus document's embedding [N, e] on the tape; labels are the relevant document ids. */
    public static Tensor full(Tensor queries, Tensor corpusEmbeddings, int[] docIds, double beta) {
        return Losses.crossEntropy(queries.matmulTransposed(corpusEmbeddings).mul(beta), docIds);
    }
}
