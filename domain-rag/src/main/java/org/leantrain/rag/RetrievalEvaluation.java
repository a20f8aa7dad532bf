package org.leantrain.rag;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.leantrain.core.util.Rng;

/**
 * Test-query retrieval quality and cost of one system: Recall@10/20, nDCG@10, LM calls and tokens per query; and what
 * the expansions contain (NaN for the raw query): the fraction of the true facets (entity, its two conditions) among
 * the sub-queries, the fraction of passages that name the query's entity, and the fraction that name another entity
 * of either world (a general-world name matches no domain document; a domain one pulls in that entity's documents).
 */
public record RetrievalEvaluation(String system, String fusion, double recall10, double recall20, double ndcg10,
        double lmCallsPerQuery, double tokensPerQuery, double seconds, double facetRecall, double rightEntityPassages,
        double wrongEntityPassages, List<Example> examples) {
    /** How many queries' expansions an evaluation keeps to be read. */
    public static final int EXAMPLES = 6;

    /** One test query's expansion as text: the query, its true facets, the sub-queries and the passages. */
    public record Example(String query, List<String> facets, List<String> subQueries, List<String> passages) {}

    /** BM25 on the original query alone. */
    public static RetrievalEvaluation raw(Bm25Index index, List<Query> queries) {
        long t0 = System.nanoTime();
        List<int[]> rankings = new ArrayList<>();
        for (Query q : queries) {
            rankings.add(index.search(q.text(), ReciprocalRankFusion.DEPTH));
        }
        return of("raw query", "-", queries, rankings, 0, 0, t0, Content.NONE);
    }

    /**
     * Passages written from the true facts in the teacher's format: the fusion pipeline's upper bound. With n
     * sub-queries: the MSLF passage for n; MMLF passages for the first n facets the teacher knows (three for the spec's
     * pipeline, seven when the pipeline names n), and the entity's passage for each padding sub-query.
     */
    public static RetrievalEvaluation oracle(SyntheticWorld world, QueryExpansionPipeline pipe, List<Query> queries,
            FusionMode mode) {
        long t0 = System.nanoTime();
        List<int[]> rankings = new ArrayList<>();
        Content content = new Content(world);
        int facets = pipe.namesCount() ? SyntheticWorld.FACETS : SyntheticWorld.RELEVANT_FACETS;
        for (Query q : queries) {
            List<String> passages = new ArrayList<>();
            if (mode == FusionMode.MSLF) {
                passages.add(world.oracleMslfPassage(q, pipe.subQueryCount()));
            } else {
                for (int k = 0; k < pipe.subQueryCount(); k++) {
                    passages.add(world.oracleMmlfPassage(q, k < facets ? k : 0)); // pads answer the query
                }
            }
            rankings.add(pipe.retrieve(q.text(), passages));
            content.add(q, world.oracleSubQueries(q), passages, false);
        }
        return of("oracle passages", mode.name(), queries, rankings, 0, 0, t0, content);
    }

    /** A model's expansions with the evaluation decoding (τ 0.7, top-k 20, top-p 0.8) and a fixed sampler seed. */
    public static RetrievalEvaluation expanded(String system, TextGenerator lm, QueryExpansionPipeline pipe,
            SyntheticWorld world, List<Query> queries, FusionMode mode, long seed) {
        long t0 = System.nanoTime();
        List<QueryExpansionPipeline.Expansion> ex = pipe.expand(lm, queries.stream().map(Query::text).toList(), mode,
                SamplingConfig.evaluation(QueryExpansionPipeline.CQE_TOKENS), new Rng(seed));
        List<int[]> rankings = new ArrayList<>();
        long calls = 0;
        long tokens = 0;
        Content content = new Content(world);
        for (int i = 0; i < ex.size(); i++) {
            QueryExpansionPipeline.Expansion e = ex.get(i);
            rankings.add(e.fused());
            calls += e.lmCalls();
            tokens += e.generatedTokens();
            content.add(queries.get(i), e.subQueries(), e.passages(), i < EXAMPLES);
        }
        return of(system, mode.name(), queries, rankings, calls, tokens, t0, content);
    }

    private static RetrievalEvaluation of(String system, String fusion, List<Query> queries, List<int[]> rankings,
            long calls, long tokens, long t0, Content content) {
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
                (double) tokens / n, (System.nanoTime() - t0) / 1e9, content.facetRecall(),
                content.rightEntityPassages(), content.wrongEntityPassages(), List.copyOf(content.examples));
    }

    /** Counts of what sub-queries and passages say about each query's true facts. */
    private static final class Content {
        static final Content NONE = new Content(null);

        private final SyntheticWorld world;
        private final Set<String> entities;
        private final List<Example> examples = new ArrayList<>();
        private int facetsFound;
        private int facets;
        private int rightEntity;
        private int wrongEntity;
        private int passages;

        Content(SyntheticWorld world) {
            this.world = world;
            this.entities = world == null ? Set.of() : world.entityNames();
        }

        /** Counts one query's expansion; {@code keep}: also keep it as an {@link Example}. */
        void add(Query q, List<String> subQueries, List<String> texts, boolean keep) {
            List<String> truth = world.oracleSubQueries(q);
            if (keep) {
                examples.add(new Example(q.text(), truth, subQueries, texts));
            }
            for (String facet : truth) {
                facetsFound += subQueries.contains(facet) ? 1 : 0;
            }
            facets += truth.size();
            String entity = truth.get(0);
            for (String passage : texts) {
                List<String> words = List.of(passage.split(" "));
                rightEntity += words.contains(entity) ? 1 : 0;
                wrongEntity += words.stream().anyMatch(w -> !w.equals(entity) && entities.contains(w)) ? 1 : 0;
            }
            passages += texts.size();
        }

        double facetRecall() {
            return facets == 0 ? Double.NaN : (double) facetsFound / facets;
        }

        double rightEntityPassages() {
            return passages == 0 ? Double.NaN : (double) rightEntity / passages;
        }

        double wrongEntityPassages() {
            return passages == 0 ? Double.NaN : (double) wrongEntity / passages;
        }
    }
}
