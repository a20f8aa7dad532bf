package org.leantrain.ebm;

/** How the model expectation in the gradient is estimated. */
public enum SamplingMethod {
    /** Persistent walkers with exact Jarzynski log-weights (the technique). */
    JARZYNSKI,
    /** Persistent contrastive divergence: the same walkers and moves, uniform weights. */
    PCD,
    /** Contrastive divergence: short chains restarted from data. */
    CD
}
