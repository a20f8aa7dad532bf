package org.leantrain.negcache;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Ranks the whole corpus for every test query by the model's scores (no tape) and summarises the ranks. */
public final class RetrievalEvaluator {
    private RetrievalEvaluator() {}

    public static RankingMetrics evaluate(TwoTowerModel model, int[][] corpus, int[][] queries, int[] relevant) {
        if (queries.length != relevant.length) {
            throw new IllegalArgumentException(queries.length + " queries but " + relevant.length + " relevant ids");
        }
        INDArray docs = model.encodeDocsNoGrad(corpus).castTo(DataType.DOUBLE);
        int[] ranks = new int[queries.length];
        int chunk = 500;
        for (int from = 0; from < queries.length; from += chunk) {
            int to = Math.min(queries.length, from + chunk);
            int[][] part = java.util.Arrays.copyOfRange(queries, from, to);
            double[][] scores = model.encodeQueriesNoGrad(part).castTo(DataType.DOUBLE).mmul(docs.transpose())
                    .toDoubleMatrix();
            for (int i = 0; i < scores.length; i++) {
                if (relevant[from + i] < 0 || relevant[from + i] >= corpus.length) {
                    throw new IllegalArgumentException("relevant id " + relevant[from + i] + " is outside the corpus");
                }
                ranks[from + i] = RankingMetrics.rank(scores[i], relevant[from + i]);
            }
        }
        return RankingMetrics.of(ranks);
    }
}
