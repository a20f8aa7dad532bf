package org.leantrain.rag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lucene 9's BM25 formula in plain Java with exact document lengths, for tests:
 * score = Σ_t qtf_t · idf_t · tf / (tf + k1·(1 − b + b·dl/avgdl)), idf_t = ln(1 + (N − n_t + 0.5)/(n_t + 0.5)).
 * Terms come from the same analyzer as {@link Bm25Index}, so only the scoring is independent.
 */
public final class ReferenceBm25 {
    private final Bm25Index analyzerSource;
    private final List<Map<String, Integer>> docTerms = new ArrayList<>();
    private final int[] lengths;
    private final Map<String, Integer> docFreq = new HashMap<>();
    private final double avgdl;
    private final double k1;
    private final double b;

    public ReferenceBm25(Bm25Index analyzerSource, List<String> documents, double k1, double b) {
        this.analyzerSource = analyzerSource;
        this.k1 = k1;
        this.b = b;
        this.lengths = new int[documents.size()];
        long total = 0;
        for (int i = 0; i < documents.size(); i++) {
            Map<String, Integer> terms = analyzerSource.terms(documents.get(i));
            docTerms.add(terms);
            for (Map.Entry<String, Integer> t : terms.entrySet()) {
                lengths[i] += t.getValue();
                docFreq.merge(t.getKey(), 1, Integer::sum);
            }
            total += lengths[i];
        }
        this.avgdl = (double) total / documents.size();
    }

    public double score(String query, int doc) {
        double n = docTerms.size();
        double s = 0;
        for (Map.Entry<String, Integer> q : analyzerSource.terms(query).entrySet()) {
            Integer tf = docTerms.get(doc).get(q.getKey());
            if (tf == null) {
                continue;
            }
            int nt = docFreq.get(q.getKey());
            double idf = Math.log(1 + (n - nt + 0.5) / (nt + 0.5));
            s += q.getValue() * idf * tf / (tf + k1 * (1 - b + b * lengths[doc] / avgdl));
        }
        return s;
    }

    /** Matching documents by descending score, ties by ascending id. */
    public List<Bm25Index.Hit> search(String query, int depth) {
        List<Bm25Index.Hit> hits = new ArrayList<>();
        for (int d = 0; d < docTerms.size(); d++) {
            double s = score(query, d);
            if (s > 0) {
                hits.add(new Bm25Index.Hit(d, s));
            }
        }
        hits.sort(Comparator.comparingDouble((Bm25Index.Hit h) -> -h.score()).thenComparingInt(Bm25Index.Hit::id));
        return hits.subList(0, Math.min(depth, hits.size()));
    }
}
