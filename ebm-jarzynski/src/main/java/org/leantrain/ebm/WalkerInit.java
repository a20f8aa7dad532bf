package org.leantrain.ebm;

/** Where PCD walkers start. */
public enum WalkerInit {
    /** Exact samples of the initial model ρ_{θ_0} (the "unweighted" variant). */
    MODEL,
    /** Random data points (the authors' GMM baseline). */
    DATA
}
