package org.leantrain.rag;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recall@k and nDCG@k of one ranking against graded judgements (trec_eval conventions: linear gains = grade,
 * DCG = Σ_{i≤k} g(d_i)/log2(i + 1), IDCG from the ideal ordering of all judged documents). A document repeated in
 * a ranking counts once.
 */
public final class RetrievalMetrics {
    private RetrievalMetrics() {}

    public static double recallAt(int[] ranking, Map<Integer, Integer> qrels, int k) {
        check(qrels, k);
        Set<Integer> seen = new HashSet<>();
        int hits = 0;
        int relevant = 0;
        for (int g : qrels.values()) {
            relevant += g > 0 ? 1 : 0;
        }
        for (int i = 0; i < ranking.length && seen.size() < k; i++) {
            if (seen.add(ranking[i]) && qrels.getOrDefault(ranking[i], 0) > 0) {
                hits++;
            }
        }
        return (double) hits / relevant;
    }

    public static double ndcgAt(int[] ranking, Map<Integer, Integer> qrels, int k) {
        check(qrels, k);
        Set<Integer> seen = new HashSet<>();
        double dcg = 0;
        int position = 0;
        for (int i = 0; i < ranking.length && position < k; i++) {
            if (!seen.add(ranking[i])) {
                continue;
            }
            position++;
            dcg += qrels.getOrDefault(ranking[i], 0) / log2(position + 1);
        }
        List<Integer> ideal = new ArrayList<>(qrels.values());
        ideal.sort((a, b) -> b - a);
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.size()); i++) {
            idcg += Math.max(0, ideal.get(i)) / log2(i + 2);
        }
        return dcg / idcg;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static void check(Map<Integer, Integer> qrels, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("cut-off k must be ≥ 1, got " + k);
        }
        if (qrels.values().stream().noneMatch(g -> g > 0)) {
            throw new IllegalArgumentException("judgements have no relevant document (grade > 0): " + qrels);
        }
    }
}
