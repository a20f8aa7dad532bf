package org.leantrain.negcache;

/**
 * One retrieval training run.
 *
 * @param refreshFraction r: each step the ⌈r·C⌉ slots with the oldest embeddings are re-encoded (0: sampled slots
 *                        only)
 */
public record TrainConfig(Method method, int batch, double learningRate, int capacity, CacheMode mode,
        EvictionPolicy eviction, double refreshFraction, boolean maskPositive, int negatives, long seed) {

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
    }

    /** Cache, streaming, LRU, sampled slots refreshed only, own positive masked. */
    public static TrainConfig cache(int batch, int capacity, long seed) {
        return new TrainConfig(Method.CACHE, batch, 2e-3, capacity, CacheMode.STREAMING, EvictionPolicy.LRU, 0, true, 1,
                seed);
    }

    public static TrainConfig baseline(Method method, int batch, long seed) {
        return new TrainConfig(method, batch, 2e-3, 0, CacheMode.STREAMING, EvictionPolicy.LRU, 0, true, 1, seed);
    }

    public TrainConfig withMode(CacheMode m, int c, double r) {
        return new TrainConfig(method, batch, learningRate, c, m, eviction, r, maskPositive, negatives, seed);
    }

    /** m negatives per query (cache only). */
    public TrainConfig withNegatives(int m) {
        return new TrainConfig(method, batch, learningRate, capacity, mode, eviction, refreshFraction, maskPositive, m,
                seed);
    }
}
