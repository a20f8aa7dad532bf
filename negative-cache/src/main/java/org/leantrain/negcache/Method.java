package org.leantrain.negcache;

/** How negatives are provided. */
public enum Method {
    /** One negative per query drawn from a cache of stale embeddings (the technique). */
    CACHE,
    /** The other positives of the batch (B × B softmax). */
    IN_BATCH,
    /** Every corpus document, re-encoded on the tape each step: the exact softmax, the ceiling. */
    FULL_SOFTMAX
}
