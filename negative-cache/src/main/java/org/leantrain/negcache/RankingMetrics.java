package org.leantrain.negcache;

/**
 * Retrieval quality from the rank of each query's relevant document (rank = 1 + number of documents scored
 * higher): Recall@k = mean 1[rank ≤ k], MRR = mean 1/rank, MRR@10 = mean 1[rank ≤ 10]/rank.
 */
public record RankingMetrics(double recallAt1, double recallAt10, double recallAt100, double mrr, double mrrAt10) {

    public static RankingMetrics of(int[] ranks) {
        if (ranks.length == 0) {
            throw new IllegalArgumentException("no ranks to summarise");
        }
        double r1 = 0;
        double r10 = 0;
        double r100 = 0;
        double mrr = 0;
        double mrr10 = 0;
        for (int rank : ranks) {
            if (rank < 1) {
                throw new IllegalArgumentException("ranks start at 1, got " + rank);
            }
            r1 += rank <= 1 ? 1 : 0;
            r10 += rank <= 10 ? 1 : 0;
            r100 += rank <= 100 ? 1 : 0;
            mrr += 1.0 / rank;
            mrr10 += rank <= 10 ? 1.0 / rank : 0;
        }
        int n = ranks.length;
        return new RankingMetrics(r1 / n, r10 / n, r100 / n, mrr / n, mrr10 / n);
    }

    /** Rank of candidate {@code relevant} in one row of scores: 1 + the number of strictly higher scores. */
    public static int rank(double[] scores, int relevant) {
        int higher = 0;
        for (double s : scores) {
            higher += s > scores[relevant] ? 1 : 0;
        }
        return 1 + higher;
    }
}
