package org.leantrain.rag;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.util.Rng;

/** Test-query retrieval quality and cost of one system: Recall@10/20, nDCG@10, LM calls and tokens per query. */
public record RetrievalEvaluation(String system, String fusion, double recall10, double recall20, double ndcg10,
        double lmCallsPerQuery, double tokensPerQuery, double seconds) {

    /** BM25 on the original query alone. */
    public static RetrievalEvaluation raw(Bm25Index index, List<Query> queries) {
        long t0 = System.nanoTime();
        List<int[]> rankings = new ArrayList<>();
        for (Query q : queries) {
            rankings.add(index.search(q.text(), ReciprocalRankFusion.DEPTH));
        }
        return of("raw query", "-", queries, rankings, 0, 0, t0);
    }

    /** Passages written from the true facts in the teacher's format: the fusion pipeline's upper bound. */
    public static RetrievalEvaluation oracle(SyntheticWorld world, QueryExpansionPipeline pipe, List<Query> queries,
            FusionMode mode) {
        long t0 = System.nanoTime();
        List<int[]> rankings = new ArrayList<>();
        for (Query q : queries) {
            List<String> passages = new ArrayList<>();
            if (mode == FusionMode.MSLF) {
                passages.add(world.oracleMslfPassage(q));
            } else {
                for (int k = 0; k < pipe.subQueryCount(); k++) {
                    passages.add(world.oracleMmlfPassage(q, Math.min(k, 2)));
                }
            }
            rankings.add(pipe.retrieve(q.text(), passages));
        }
        return of("oracle passages", mode.name(), queries, rankings, 0, 0, t0);
    }

    /** A model's expansions with the evaluation decoding (τ 0.7, top-k 20, top-p 0.8) and a fixed sampler seed. */
    public static RetrievalEvaluation expanded(String system, TextGenerator lm, QueryExpansionPipeline pipe,
            List<Query> queries, FusionMode mode, long seed) {
        long t0 = System.nanoTime();
        List<QueryExpansionPipeline.Expansion> ex = pipe.expand(lm, queries.stream().map(Query::text).toList(), mode,
                SamplingConfig.evaluation(QueryExpansionPipeline.CQE_TOKENS), new Rng(seed));
        List<int[]> rankings = new ArrayList<>();
        long calls = 0;
        long tokens = 0;
        for (QueryExpansionPipeline.Expansion e : ex) {
            rankings.add(e.fused());
            calls += e.lmCalls();
            tokens += e.generatedTokens();
        }
        return of(system, mode.name(), queries, rankings, calls, tokens, t0);
    }

    private static RetrievalEvaluation of(String system, String fusion, List<Query> queries, List<int[]> rankings,
            long calls, long tokens, long t0) {
        double r10 = 0;
        double r20 = 0;
        double n10 = 0;
        for (int i = 0; i < queries.size(); i++) {
            r10 += RetrievalMetrics.recallAt(rankings.get(i), queries.get(i).qrels(), 10);
            r20 += RetrievalMetrics.recallAt(rankings.get(i), queries.get(i).qrels(), 20);
            n10 += RetrievalMetrics.ndcgAt(rankings.get(i), queries.get(i).qrels(), 10);
        }
        int n = queries.size();
        return new RetrievalEvaluation(system, fusion, r10 / n, r20 / n, n10 / n, (double) calls / n,
                (double) tokens / n, (System.nanoTime() - t0) / 1e9);
    }
}
