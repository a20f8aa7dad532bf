package org.leantrain.negcache;

/** Which cached embeddings are re-encoded each step besides the drawn negatives (spec §4 CacheConfig). */
public enum RefreshPolicy {
    /** Only the drawn negatives get fresh embeddings. */
    SAMPLED_ONLY,
    /** Also the ⌈r·C⌉ valid slots with the oldest embeddings. */
    OLDEST_FRACTION,
    /** Also ⌈r·C⌉ valid slots drawn uniformly without replacement (seeded). */
    RANDOM_FRACTION
}
