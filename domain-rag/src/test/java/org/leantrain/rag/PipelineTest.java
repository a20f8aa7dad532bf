package org.leantrain.rag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;

/** Spec §6 pipeline/accounting: LM calls per fusion mode, padding of short MQR outputs, the fused ranking. */
class PipelineTest {
    private static final SyntheticWorld WORLD = new SyntheticWorld(WorldConfig.quick(0));
    private static final WordTokenizer TOK = new WordTokenizer(WORLD.vocabulary());

    /** A stub LM: "⟨word⟩ ; fever" for MQR prompts, a fixed passage for CQE prompts; counts its calls. */
    private static final class Stub implements TextGenerator {
        final List<Integer> batchSizes = new ArrayList<>();
        final String entity;
        final String passage;

        Stub(String entity, String passage) {
            this.entity = entity;
            this.passage = passage;
        }

        @Override
        public Generator.Result generate(List<int[]> prompts, SamplingConfig cfg, Rng rng) {
            batchSizes.add(prompts.size());
            List<int[]> out = new ArrayList<>();
            boolean mqr = TOK.word(prompts.get(0)[1]).equals(Formats.MQR);
            for (int i = 0; i < prompts.size(); i++) {
                out.add(TOK.encode(mqr ? entity + " ; fever" : passage));
            }
            return new Generator.Result(out, new boolean[prompts.size()], prompts.size() * 3);
        }
    }

    @Test
    void callsPaddingAndFusion() {
        Corpus corpus = WORLD.domainCorpus();
        Query q = corpus.testQueries().get(0);
        String entity = WORLD.oracleSubQueries(q).get(0);
        String passage = WORLD.oracleMslfPassage(q, 3);
        try (Bm25Index idx = Bm25Index.of(corpus)) {
            QueryExpansionPipeline pipe = new QueryExpansionPipeline(TOK, idx, 3);
            Stub stub = new Stub(entity, passage);
            QueryExpansionPipeline.Expansion mslf = pipe.expand(stub, List.of(q.text()), FusionMode.MSLF,
                    SamplingConfig.evaluation(16), new Rng(0)).get(0);
            assertEquals(2, mslf.lmCalls());
            assertEquals(List.of(entity, "fever"), mslf.subQueries());
            assertEquals(List.of(1, 1), stub.batchSizes);
            assertArrayEquals(handFused(idx, q.text(), List.of(passage)), mslf.fused());

            Stub stub2 = new Stub(entity, passage);
            QueryExpansionPipeline.Expansion mmlf = pipe.expand(stub2, List.of(q.text()), FusionMode.MMLF,
                    SamplingConfig.evaluation(16), new Rng(0)).get(0);
            assertEquals(4, mmlf.lmCalls());
            assertEquals(List.of(entity, "fever", q.text()), mmlf.subQueries(), "padded with q to n = 3");
            assertEquals(List.of(1, 3), stub2.batchSizes);
            assertArrayEquals(handFused(idx, q.text(), List.of(passage, passage, passage)), mmlf.fused());
        }
    }

    @Test
    void countedPipelineAsksForNSubQueries() {
        List<String> vocabulary = new ArrayList<>(WORLD.vocabulary());
        vocabulary.addAll(Formats.countWords());
        WordTokenizer tok = new WordTokenizer(vocabulary);
        Corpus corpus = WORLD.domainCorpus();
        List<Query> test = corpus.testQueries();
        try (Bm25Index idx = Bm25Index.of(corpus)) {
            QueryExpansionPipeline three = QueryExpansionPipeline.namingCount(tok, idx, 3);
            assertEquals("<bos> <mqr> n3 what is x ? <sep>", three.mqrPrompt("what is x ?"));
            assertEquals("<bos> <mqr> n6 q <sep>", three.withSubQueryCount(6).mqrPrompt("q"));
            assertEquals("<bos> <mqr> q <sep>", new QueryExpansionPipeline(TOK, idx, 3).mqrPrompt("q"));
            String msg = assertThrows(IllegalArgumentException.class, () -> three.withSubQueryCount(9)).getMessage();
            assertTrue(msg.contains("1..8"), msg);

            Query q = test.get(0);
            Stub stub = new Stub(WORLD.oracleSubQueries(q).get(0), "fever");
            QueryExpansionPipeline.Expansion eight = three.withSubQueryCount(8).expand(stub, List.of(q.text()),
                    FusionMode.MMLF, SamplingConfig.evaluation(16), new Rng(0)).get(0);
            assertEquals(9, eight.lmCalls());
            assertEquals(8, eight.subQueries().size(), "two sub-queries padded with q to n = 8");

            double oneFacet = RetrievalEvaluation.oracle(WORLD, three.withSubQueryCount(1), test, FusionMode.MMLF)
                    .recall10();
            double threeFacets = RetrievalEvaluation.oracle(WORLD, three, test, FusionMode.MMLF).recall10();
            assertTrue(threeFacets > oneFacet + 0.1, oneFacet + " vs " + threeFacets);
            for (FusionMode mode : FusionMode.values()) {
                assertEquals(RetrievalEvaluation.oracle(WORLD, new QueryExpansionPipeline(TOK, idx, 3), test, mode)
                        .recall10(), RetrievalEvaluation.oracle(WORLD, three, test, mode).recall10(), mode.name()
                        + ": at n = 3 the counted oracle is the spec's");
            }
        }
    }

    @Test
    void expansionContentCounts() {
        Corpus corpus = WORLD.domainCorpus();
        List<Query> test = corpus.testQueries().subList(0, 4);
        Query q = test.get(0);
        String entity = WORLD.oracleSubQueries(q).get(0);
        String other = WORLD.oracleSubQueries(corpus.testQueries().stream()
                .filter(x -> !WORLD.oracleSubQueries(x).get(0).equals(entity)).findFirst().orElseThrow()).get(0);
        try (Bm25Index idx = Bm25Index.of(corpus)) {
            QueryExpansionPipeline pipe = new QueryExpansionPipeline(TOK, idx, 3);
            for (FusionMode mode : FusionMode.values()) {
                RetrievalEvaluation oracle = RetrievalEvaluation.oracle(WORLD, pipe, test, mode);
                assertEquals(1.0, oracle.facetRecall(), mode.name());
                assertEquals(1.0, oracle.rightEntityPassages(), mode.name());
                assertEquals(0.0, oracle.wrongEntityPassages(), mode.name());
            }
            // sub-queries "entity ; fever": 1 or 2 of the 3 true facets; the passage names both entities
            RetrievalEvaluation stub = RetrievalEvaluation.expanded("stub", new Stub(entity, entity + " and " + other),
                    pipe, WORLD, List.of(q), FusionMode.MSLF, 0);
            List<String> truth = WORLD.oracleSubQueries(q);
            assertEquals((1 + (truth.contains("fever") ? 1 : 0)) / 3.0, stub.facetRecall(), 1e-15);
            assertEquals(1.0, stub.rightEntityPassages());
            assertEquals(1.0, stub.wrongEntityPassages());
            assertEquals(List.of(new RetrievalEvaluation.Example(q.text(), truth, List.of(entity, "fever"),
                    List.of(entity + " and " + other))), stub.examples());
            assertTrue(Double.isNaN(RetrievalEvaluation.raw(idx, test).facetRecall()));
        }
    }

    /** RRF written out: Σ 1/(60 + rank), descending, ties by id. */
    private static int[] handFused(Bm25Index idx, String query, List<String> passages) {
        Map<Integer, Double> s = new HashMap<>();
        List<String> texts = new ArrayList<>(List.of(query));
        texts.addAll(passages);
        for (String t : texts) {
            int[] list = idx.search(t, 100);
            for (int r = 0; r < list.length; r++) {
                s.merge(list[r], 1.0 / (60 + r + 1), Double::sum);
            }
        }
        return s.entrySet().stream().sorted((a, b) -> !a.getValue().equals(b.getValue())
                ? Double.compare(b.getValue(), a.getValue()) : Integer.compare(a.getKey(), b.getKey()))
                .mapToInt(Map.Entry::getKey).toArray();
    }

    @Test
    void subQueryParsing() {
        try (Bm25Index idx = Bm25Index.of(WORLD.domainCorpus())) {
            QueryExpansionPipeline pipe = new QueryExpansionPipeline(TOK, idx, 3);
            int[] c = TOK.encode("; fever ; ; <sep> gout ; acne ; rash ;");
            assertEquals(List.of("fever", "gout", "acne"), pipe.parseSubQueries(c, "q", false));
            assertEquals(List.of("q"), pipe.parseSubQueries(new int[0], "q", false));
            assertEquals(List.of("q", "q", "q"), pipe.parseSubQueries(new int[0], "q", true));
            assertEquals("fever rash", pipe.passageText(TOK.encode("fever <p> rash <eos>")));
        }
    }
}
