package org.leantrain.ebm;

/** Order of weight updates and moves (spec §3). */
public enum WeightScheme {
    /** One ULA step of every walker per update; forward kernel under θ_k, backward under θ_{k+1}. */
    PAPER,
    /** Reweight all walkers for θ→θ', then K moves of m mini-batches of b walkers under θ'. */
    REWEIGHT_THEN_MOVE
}
