package org.leantrain.negcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Spec §6 test 14 (no tape through the cache), the baselines' losses by hand, cache upkeep, the corpus. */
class TrainerTest {
    private static final NearDuplicateCorpus SMALL = new NearDuplicateCorpus(20, 8, 64, 3);

    private static RetrievalTrainer trainer(TrainConfig config) {
        return new RetrievalTrainer(new TwoTowerModel(SMALL.vocab(), 16, 20, DataType.FLOAT, new Rng(0)), SMALL, config);
    }

    @Test
    void savedBytesOfACacheStepDoNotDependOnTheCacheSize() {
        long small = trainer(TrainConfig.cache(8, 256, 1)).step().savedBytes();
        long large = trainer(TrainConfig.cache(8, 4096, 1)).step().savedBytes();
        assertEquals(small, large);
        assertTrue(small > 0);
    }

    @Test
    void streamingStepsRefreshInsertAndAgeTheCache() {
        RetrievalTrainer t = trainer(TrainConfig.cache(4, 16, 2));
        t.step();
        NegativeCache cache = t.cache();
        assertEquals(16, cache.validCount());
        int fresh = 0;
        for (int age : cache.ages()) {
            fresh += age == 0 ? 1 : 0;
        }
        assertTrue(fresh >= 4, "the 4 inserted positives (and refreshed slots) end the step at age 0");
        RetrievalTrainer corpusMode = trainer(TrainConfig.cache(4, 16, 2).withMode(CacheMode.CORPUS, 16, 0.25));
        corpusMode.step();
        assertEquals(SMALL.size(), corpusMode.cache().capacity());
        int reencoded = 0;
        for (int age : corpusMode.cache().embeddingAges()) {
            reencoded += age == 0 ? 1 : 0;
        }
        assertTrue(reencoded >= Math.ceil(0.25 * SMALL.size()), "the oldest quarter was re-encoded");
    }

    @Test
    void randomFractionRefreshReencodesThatManyValidSlots() {
        RetrievalTrainer t = trainer(TrainConfig.cache(4, 16, 2).withMode(CacheMode.CORPUS, 16, 0.25)
                .withRefresh(RefreshPolicy.RANDOM_FRACTION));
        t.step();
        int reencoded = 0;
        for (int age : t.cache().embeddingAges()) {
            reencoded += age == 0 ? 1 : 0;
        }
        assertTrue(reencoded >= Math.ceil(0.25 * SMALL.size()), "a random quarter was re-encoded: " + reencoded);
        int[] a = t.cache().randomValidSlots(10, new Rng(5));
        assertArrayEquals(a, t.cache().randomValidSlots(10, new Rng(5)));
        assertEquals(10, java.util.Arrays.stream(a).distinct().count());
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.cache(4, 16, 2)
                .withRefresh(RefreshPolicy.RANDOM_FRACTION), "a fraction policy needs r > 0");
    }

    @Test
    void dedupedInsertsKeepEachDocumentOnce() {
        RetrievalTrainer t = trainer(TrainConfig.cache(8, 40, 4).withDedupeInserts(true));
        for (int step = 0; step < 5; step++) {
            t.step();
        }
        NegativeCache cache = t.cache();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int c = 0; c < cache.capacity(); c++) {
            if (cache.isValid(c)) {
                assertTrue(seen.add(cache.docId(c)), "document " + cache.docId(c) + " cached twice");
            }
        }
        boolean[] mask = cache.newDocumentsMask(new int[] {cache.docId(cache.oldestByAge(1)[0]), 100_000, 100_000});
        assertArrayEquals(new boolean[] {false, true, false}, mask);
    }

    @Test
    void topKAndShardedSamplingTrain() {
        for (TrainConfig config : new TrainConfig[] {TrainConfig.cache(4, 64, 3).withSampling(8, 1),
            TrainConfig.cache(4, 64, 3).withSampling(0, 5)}) {
            RetrievalTrainer t = trainer(config);
            for (int step = 0; step < 3; step++) {
                RetrievalTrainer.StepStats stats = t.step();
                assertTrue(Double.isFinite(stats.interpretableLoss()), config.toString());
            }
        }
        assertArrayEquals(new int[] {13, 13, 13, 13, 12}, RetrievalTrainer.shardSizes(64, 5));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.cache(4, 64, 3).withSampling(0, 65));
    }

    @Test
    void trainableBetaScoresLikeAFixedOneAtStartAndLearns() {
        TwoTowerModel fixed = new TwoTowerModel(SMALL.vocab(), 8, 5, false, DataType.DOUBLE, new Rng(9));
        TwoTowerModel learned = new TwoTowerModel(SMALL.vocab(), 8, 5, true, DataType.DOUBLE, new Rng(9));
        NearDuplicateCorpus.QuerySet batch = SMALL.sample(6, new Rng(1));
        int[][] docs = SMALL.documents(batch.ids());
        double a = SoftmaxLosses.inBatch(fixed.encodeQueries(batch.queries()), fixed.encodeDocs(docs), batch.ids(),
                fixed.scoreScale()).item();
        double b = SoftmaxLosses.inBatch(learned.encodeQueries(batch.queries()), learned.encodeDocs(docs), batch.ids(),
                learned.scoreScale()).item();
        assertEquals(a, b, 1e-12);
        Tensor logBeta = learned.namedParameters().get("logBeta");
        org.leantrain.core.tensor.GradCheck.of(1e-6, 1e-6, 1e-9).checkParameters(() -> SoftmaxLosses.inBatch(
                learned.encodeQueries(batch.queries()), learned.encodeDocs(docs), batch.ids(), learned.scoreScale()),
                java.util.List.of(logBeta));
        RetrievalTrainer t = new RetrievalTrainer(new TwoTowerModel(SMALL.vocab(), 16, 20, true, DataType.FLOAT,
                new Rng(0)), SMALL, TrainConfig.cache(8, 64, 1));
        for (int step = 0; step < 5; step++) {
            t.step();
        }
        assertTrue(Math.abs(t.model().beta() - 20) > 1e-4, "beta moved: " + t.model().beta());
    }

    @Test
    void maxScoreAblationTakesTheHighestValidSlot() {
        double inf = Double.NEGATIVE_INFINITY;
        assertArrayEquals(new int[] {2, -1, 0}, CacheLoss.MAX_SCORE.draw(new double[][] {{0.1, inf, 3, 3}, {inf, inf},
            {5, 1}}, new Rng(1)));
        RetrievalTrainer t = trainer(TrainConfig.cache(4, 64, 3).withMaxScore(true).withEviction(EvictionPolicy.FIFO));
        assertTrue(Double.isFinite(t.step().interpretableLoss()));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.cache(4, 64, 3).withSampling(0, 2)
                .withMaxScore(true));
    }

    @Test
    void fourNegativesPerQueryRefreshEveryDrawnSlot() {
        RetrievalTrainer t = trainer(TrainConfig.cache(4, 64, 3).withNegatives(4));
        RetrievalTrainer.StepStats stats = t.step();
        assertTrue(Double.isFinite(stats.interpretableLoss()) && stats.savedBytes() > 0);
    }

    @Test
    void inBatchLossIsTheSoftmaxOverTheBatchWithDuplicatesMasked() {
        Tensor q = Tensor.of(new double[][] {{1, 0}, {0, 1}, {1, 1}}, DataType.DOUBLE);
        Tensor d = Tensor.of(new double[][] {{1, 0}, {0, 2}, {1, 0}}, DataType.DOUBLE);
        // rows 0 and 2 hold the same document: each is masked out of the other's row
        double loss = SoftmaxLosses.inBatch(q, d, new int[] {5, 6, 5}, 1).item();
        double row0 = -1 + Math.log(Math.exp(1) + Math.exp(0));
        double row1 = -2 + Math.log(Math.exp(0) + Math.exp(2) + Math.exp(0));
        double row2 = -1 + Math.log(Math.exp(2) + Math.exp(1));
        assertEquals((row0 + row1 + row2) / 3, loss, 1e-12);
    }

    @Test
    void theCorpusFollowsTheSpec() {
        NearDuplicateCorpus corpus = NearDuplicateCorpus.standard(0);
        assertEquals(4000, corpus.size());
        assertEquals(2012, corpus.vocab());
        int[] doc = corpus.document(17); // family 1
        for (int j = 0; j < 6; j++) {
            assertEquals(6 + j, doc[j]);
        }
        assertTrue(doc[6] >= 1500 && doc[7] >= 1500 && doc[6] != doc[7]);
        int[] query = corpus.queryFor(17, new Rng(1));
        assertTrue(query[0] >= 6 && query[0] < 12 && query[1] >= 6 && query[1] < 12 && query[0] != query[1]);
        assertTrue(query[2] == doc[6] || query[2] == doc[7]);
    }

    @Test
    void badConfigurations() {
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.cache(0, 16, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.cache(8, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.cache(8, 16, 0).withMode(CacheMode.STREAMING, 16, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new TwoTowerModel(10, 4, 0, DataType.FLOAT, new Rng(0)));
        assertThrows(IllegalArgumentException.class, () -> new BagOfTokensTower(10, 4, true, DataType.FLOAT, new Rng(0))
                .encode(new int[][] {{10}}));
    }
}
