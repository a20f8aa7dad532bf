package org.leantrain.negcache;

/** What the cache holds. */
public enum CacheMode {
    /** Recently seen positives, inserted every step (no corpus access); starts filled with random documents. */
    STREAMING,
    /** The whole corpus, encoded at the start; nothing inserted. */
    CORPUS
}
