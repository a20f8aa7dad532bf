package org.leantrain.negcache;

/** Which slots an insertion overwrites: the oldest by eviction age; what resets that age. */
public enum EvictionPolicy {
    /** Least recently used: a refreshed slot (sampled as a negative) counts as used and its age restarts. */
    LRU,
    /** First in, first out: only insertion restarts a slot's age. */
    FIFO
}
