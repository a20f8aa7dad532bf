package org.leantrain.rag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec §6: Lucene's BM25 scores against the values lucene-core 9.12.3 printed, and the reference formula. */
class Bm25Test {
    private static final List<String> DOCS = List.of("the cat sat on the mat", "the dog sat on the log",
            "cats and dogs", "the quick brown fox jumps over the lazy dog", "a cat and a dog and a cat");

    private static void assertHits(List<Bm25Index.Hit> hits, int[] ids, double[] scores) {
        assertEquals(ids.length, hits.size(), "hits " + hits);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(ids[i], hits.get(i).id(), "rank " + i + " of " + hits);
            assertEquals(scores[i], hits.get(i).score(), 1e-6 * scores[i], "score of d" + ids[i]);
        }
    }

    @Test
    void luceneScoresMatchTheSpec() {
        try (Bm25Index idx = new Bm25Index(DOCS, List.of(), 1.2, 0.75)) {
            assertHits(idx.searchWithScores("cat dog", 10), new int[] {4, 0, 1, 3},
                    new double[] {0.73348916, 0.4083819, 0.25142694, 0.2100839});
            assertHits(idx.searchWithScores("the cat", 10), new int[] {0, 4, 1, 3},
                    new double[] {0.7512823, 0.5112226, 0.34290037, 0.30232933});
            assertHits(idx.searchWithScores("cat cat", 10), new int[] {4, 0}, new double[] {1.0224452, 0.8167638});
        }
        try (Bm25Index idx = new Bm25Index(DOCS, List.of(), 0.9, 0.4)) {
            assertHits(idx.searchWithScores("cat dog", 10), new int[] {4, 0, 1, 3},
                    new double[] {0.8564503, 0.46629494, 0.28708205, 0.263407});
        }
        double idfCat = Math.log(2.4);
        assertEquals(0.8754687, idfCat, 1e-7);
        assertEquals(0.4083819, idfCat / (1 + 1.2 * (0.25 + 0.75 * 6 / 6.4)), 1e-7);
    }

    @Test
    void referenceEqualsLuceneOnTheSyntheticCorpus() {
        Corpus corpus = new SyntheticWorld(WorldConfig.quick(0)).domainCorpus();
        List<String> texts = corpus.documents().stream().map(Document::text).toList();
        try (Bm25Index idx = Bm25Index.of(corpus)) {
            ReferenceBm25 ref = new ReferenceBm25(idx, texts, 1.2, 0.75);
            int checked = 0;
            for (Query q : corpus.testQueries()) {
                List<Bm25Index.Hit> lucene = idx.searchWithScores(q.text(), 100);
                for (Bm25Index.Hit h : lucene) {
                    assertEquals(ref.score(q.text(), h.id()), h.score(), 1e-6 * h.score(), q.text() + " d" + h.id());
                    checked++;
                }
                List<Bm25Index.Hit> reference = ref.search(q.text(), 100);
                assertEquals(reference.size(), lucene.size(), q.text());
            }
            assertEquals(true, checked > 500, "compared " + checked + " scores");
        }
    }

    @Test
    void stopWordsAndRepeatsAndBadInputs() {
        try (Bm25Index idx = new Bm25Index(DOCS, Bm25Index.STOP_WORDS, 1.2, 0.75)) {
            assertArrayEquals(new int[0], idx.search("the and of", 10));
            assertEquals(2, idx.terms("cat . cat ?").get("cat"));
            assertThrows(IllegalArgumentException.class, () -> idx.search("cat", 0));
        }
        assertThrows(IllegalArgumentException.class, () -> new Bm25Index(List.of(), List.of(), 1.2, 0.75));
    }
}
