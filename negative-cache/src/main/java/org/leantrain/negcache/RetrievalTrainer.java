package org.leantrain.negcache;

import org.leantrain.core.optim.Adam;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.leantrain.core.util.Stats;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a {@link TwoTowerModel} on the near-duplicate corpus with one of the three {@link Method}s. A cache step
 * (spec §3): encode queries and positives on the tape, the cache loss, backward, Adam, then cache maintenance —
 * refresh the sampled slots with their fresh embeddings, re-encode the oldest fraction, insert the positives
 * (streaming; optionally only those not cached yet), tick. Options: m negatives per query, approximate top-k, sharded
 * two-level sampling, oldest- or random-fraction refresh.
 */
public final class RetrievalTrainer {
    private final TwoTowerModel model;
    private final NearDuplicateCorpus corpus;
    private final TrainConfig config;
    private final Adam adam;
    private final Rng rng;
    private final NegativeCache cache;
    private final CacheLoss.Sampler sampler;

    /** What one step measured: the value minimised (ℓ for the cache), −log p⁺, staleness, peak saved bytes. */
    public record StepStats(double loss, double interpretableLoss, double staleness, long savedBytes) {}

    public RetrievalTrainer(TwoTowerModel model, NearDuplicateCorpus corpus, TrainConfig config) {
        this.model = model;
        this.corpus = corpus;
        this.config = config;
        this.adam = Adam.adam(model.parameters(), config.learningRate());
        this.rng = new Rng(config.seed());
        this.cache = config.method() == Method.CACHE ? fillCache() : null;
        this.sampler = config.maxScore() ? CacheLoss.MAX_SCORE : cache == null || config.shards() == 1
                ? CacheLoss.GUMBEL_MAX : new ShardedSampler(shardSizes(cache.capacity(), config.shards()));
    }

    /** R near-equal contiguous shards of C slots (the first C mod R one larger). */
    static int[] shardSizes(int capacity, int shards) {
        int[] sizes = new int[shards];
        for (int r = 0; r < shards; r++) {
            sizes[r] = capacity / shards + (r < capacity % shards ? 1 : 0);
        }
        return sizes;
    }

    private NegativeCache fillCache() {
        int capacity = config.mode() == CacheMode.CORPUS ? corpus.size() : config.capacity();
        NegativeCache c = new NegativeCache(capacity, NearDuplicateCorpus.DOC_LENGTH,
                (int) model.encodeDocsNoGrad(new int[][] {corpus.document(0)}).size(1), config.eviction());
        int[] ids = config.mode() == CacheMode.CORPUS ? java.util.stream.IntStream.range(0, capacity).toArray()
                : randomIds(capacity);
        int[][] docs = corpus.documents(ids);
        c.insert(docs, model.encodeDocsNoGrad(docs), ids, config.dedupeInserts() ? c.newDocumentsMask(ids) : null);
        c.tick();
        return c;
    }

    private int[] randomIds(int count) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = rng.nextInt(corpus.size());
        }
        return ids;
    }

    /** One step on a batch of training queries drawn on the fly. */
    public StepStats step() {
        NearDuplicateCorpus.QuerySet batch = corpus.sample(config.batch(), rng);
        int[][] positives = corpus.documents(batch.ids());
        StepStats stats;
        try (StepMemory ignored = StepMemory.open()) {
            Memory.resetPeak();
            adam.zeroGrad();
            Tensor queries = model.encodeQueries(batch.queries());
            // the full softmax scores the positives among all documents; encoding them apart would leave a
            // recorded graph that no backward frees
            Tensor docs = config.method() == Method.FULL_SOFTMAX ? null : model.encodeDocs(positives);
            CacheLoss.Result cached = null;
            Tensor loss;
            double interpretable;
            switch (config.method()) {
                case CACHE -> {
                    cached = CacheLoss.compute(queries, docs, model::encodeDocs, cache, batch.ids(),
                            new CacheLoss.Options(model.scoreScale(), config.maskPositive(), config.topK(),
                                    config.negatives(), sampler), rng);
                    loss = cached.trainingLoss();
                    interpretable = Stats.mean(cached.interpretableLoss());
                }
                case IN_BATCH -> {
                    loss = SoftmaxLosses.inBatch(queries, docs, batch.ids(), model.scoreScale());
                    interpretable = loss.item();
                }
                default -> {
                    loss = SoftmaxLosses.full(queries, model.encodeDocs(corpus.all()), batch.ids(), model.scoreScale());
                    interpretable = loss.item();
                }
            }
            double value = loss.item();
            loss.backward();
            long saved = Memory.peakSavedBytes();
            adam.step();
            if (cached != null) {
                maintain(cached, positives, batch.ids(), docs.value());
            }
            stats = new StepStats(value, interpretable, cached == null ? 0 : Stats.mean(cached.staleness()), saved);
        }
        return stats;
    }

    private void maintain(CacheLoss.Result r, int[][] positives, int[] ids, INDArray positiveEmbeddings) {
        int[] slots = r.sampledSlots();
        boolean[] drawn = new boolean[slots.length];
        int[] safe = new int[slots.length];
        for (int i = 0; i < slots.length; i++) {
            drawn[i] = slots[i] >= 0;
            safe[i] = Math.max(0, slots[i]);
        }
        StepMemory.outside(() -> {
            cache.refresh(safe, r.freshNegatives(), drawn);
            int k = (int) Math.ceil(config.refreshFraction() * cache.capacity());
            if (k > 0) {
                int[] oldest = config.refresh() == RefreshPolicy.RANDOM_FRACTION ? cache.randomValidSlots(k, rng)
                        : cache.oldestByEmbeddingAge(k);
                int[][] features = new int[oldest.length][];
                for (int i = 0; i < oldest.length; i++) {
                    features[i] = cache.features(oldest[i]);
                }
                cache.reencode(oldest, model.encodeDocsNoGrad(features));
            }
            if (config.mode() == CacheMode.STREAMING) {
                cache.insert(positives, positiveEmbeddings, ids, config.dedupeInserts() ? cache.newDocumentsMask(ids)
                        : null);
            }
            cache.tick();
            return null;
        });
    }

    public TwoTowerModel model() {
        return model;
    }

    /** The cache (null for the baselines). */
    public NegativeCache cache() {
        return cache;
    }

    /** Rank metrics of {@code test} against the whole corpus. */
    public RankingMetrics evaluate(NearDuplicateCorpus.QuerySet test) {
        return RetrievalEvaluator.evaluate(model, corpus.all(), test.queries(), test.ids());
    }
}
