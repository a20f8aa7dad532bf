package org.leantrain.negcache;

/**
 * One retrieval training run.
 *
 * @param refreshFraction r: each step ⌈r·C⌉ more slots are re-encoded, chosen by {@code refresh} (0: sampled only)
 * @param refresh         OLDEST_FRACTION or RANDOM_FRACTION when r > 0; SAMPLED_ONLY needs r = 0
 * @param topK            0, or the official approximate top-k (k must divide the cache capacity)
 * @param shards          1 for the flat Gumbel-max draw, else two-level sampling over that many near-equal shards
 * @param dedupeInserts   skip inserting documents already cached (by id) or repeated in the batch
 * @param maxScore        the ablation: take the highest-scoring cached slot instead of a Gumbel-max draw
 */
public record TrainConfig(Method method, int batch, double learningRate, int capacity, CacheMode mode,
        EvictionPolicy eviction, double refreshFraction, boolean maskPositive, int negatives, long seed,
        RefreshPolicy refresh, int topK, int shards, boolean dedupeInserts, boolean maxScore) {

    public TrainConfig {
        if (method == null || mode == null || eviction == null) {
            throw new IllegalArgumentException("method, cache mode and eviction policy are needed");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        if (method == Method.CACHE && capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be >= 1, got " + capacity);
        }
        if (negatives < 1) {
            throw new IllegalArgumentException("negatives per query must be >= 1, got " + negatives);
        }
        if (!(refreshFraction >= 0 && refreshFraction <= 1)) {
            throw new IllegalArgumentException("refresh fraction must be in [0, 1], got " + refreshFraction);
        }
        if (refresh == null || (refresh == RefreshPolicy.SAMPLED_ONLY) != (refreshFraction == 0)) {
            throw new IllegalArgumentException("refresh policy " + refresh + " does not fit refresh fraction "
                    + refreshFraction + ": SAMPLED_ONLY goes with 0, OLDEST_FRACTION / RANDOM_FRACTION with r > 0");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be 0 (off) or positive, got " + topK);
        }
        if (shards < 1 || (method == Method.CACHE && mode == CacheMode.STREAMING && shards > capacity)) {
            throw new IllegalArgumentException("shards must be in [1, capacity], got " + shards);
        }
        if (maxScore && shards > 1) {
            throw new IllegalArgumentException("max-score retrieval is flat: it does not combine with shards > 1");
        }
    }

    /** Cache, streaming, LRU, sampled slots refreshed only, own positive masked. */
    public static TrainConfig cache(int batch, int capacity, long seed) {
        return new TrainConfig(Method.CACHE, batch, 2e-3, capacity, CacheMode.STREAMING, EvictionPolicy.LRU, 0, true, 1,
                seed, RefreshPolicy.SAMPLED_ONLY, 0, 1, false, false);
    }

    public static TrainConfig baseline(Method method, int batch, long seed) {
        return new TrainConfig(method, batch, 2e-3, 0, CacheMode.STREAMING, EvictionPolicy.LRU, 0, true, 1, seed,
                RefreshPolicy.SAMPLED_ONLY, 0, 1, false, false);
    }

    /** Cache mode, capacity and refresh fraction r (the oldest ⌈r·C⌉ embeddings re-encoded when r > 0). */
    public TrainConfig withMode(CacheMode m, int c, double r) {
        return new TrainConfig(method, batch, learningRate, c, m, eviction, r, maskPositive, negatives, seed,
                r > 0 ? RefreshPolicy.OLDEST_FRACTION : RefreshPolicy.SAMPLED_ONLY, topK, shards, dedupeInserts, maxScore);
    }

    /** The refresh policy for r > 0: OLDEST_FRACTION or RANDOM_FRACTION. */
    public TrainConfig withRefresh(RefreshPolicy policy) {
        return new TrainConfig(method, batch, learningRate, capacity, mode, eviction, refreshFraction, maskPositive,
                negatives, seed, policy, topK, shards, dedupeInserts, maxScore);
    }

    /** Sampling options: approximate top-k (0 off) and the number of shards (1 flat). */
    public TrainConfig withSampling(int k, int shardCount) {
        return new TrainConfig(method, batch, learningRate, capacity, mode, eviction, refreshFraction, maskPositive,
                negatives, seed, refresh, k, shardCount, dedupeInserts, maxScore);
    }

    public TrainConfig withDedupeInserts(boolean on) {
        return new TrainConfig(method, batch, learningRate, capacity, mode, eviction, refreshFraction, maskPositive,
                negatives, seed, refresh, topK, shards, on, maxScore);
    }

    /** m negatives per query (cache only). */
    public TrainConfig withNegatives(int m) {
        return new TrainConfig(method, batch, learningRate, capacity, mode, eviction, refreshFraction, maskPositive, m,
                seed, refresh, topK, shards, dedupeInserts, maxScore);
    }

    public TrainConfig withEviction(EvictionPolicy policy) {
        return new TrainConfig(method, batch, learningRate, capacity, mode, policy, refreshFraction, maskPositive,
                negatives, seed, refresh, topK, shards, dedupeInserts, maxScore);
    }

    /** The max-score ablation on or off. */
    public TrainConfig withMaxScore(boolean on) {
        return new TrainConfig(method, batch, learningRate, capacity, mode, eviction, refreshFraction, maskPositive,
                negatives, seed, refresh, topK, shards, dedupeInserts, on);
    }
}
