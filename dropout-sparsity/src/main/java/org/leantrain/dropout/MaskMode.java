package org.leantrain.dropout;

/** How the kept units of a structured mask are drawn. */
public enum MaskMode {
    /** Exactly round((1 − p)·n) units, a uniform random subset: constant GEMM shapes. Scale n/k. */
    FIXED_COUNT,
    /** Each unit kept with probability 1 − p, so the count varies. Scale 1/(1 − p). */
    BERNOULLI
}
