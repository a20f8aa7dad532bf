package org.leantrain.dropout;

/** How dropout is applied at the non-recurrent sites of the LSTM language model. */
public enum Variant {
    /** Case III masks (shared by the batch, fresh per step); GEMMs run on the kept units only. The technique. */
    STRUCTURED,
    /**
     * As STRUCTURED, but each step's gathered weight rows Wᵀ[K] are kept from forward for backward instead of being
     * gathered again: one k × N row copy fewer per site and step, k × N more saved bytes per step.
     */
    STRUCTURED_KEPT_WEIGHTS,
    /** The same Case III masks multiplied in; dense GEMMs, one per step. The equivalence and speed baseline. */
    DENSE_MASKED,
    /** As DENSE_MASKED, but the input projections of all steps run as one (T·B × n)·(n × N) GEMM. */
    DENSE_MASKED_FUSED,
    /** Case I: an independent mask per element (standard Zaremba dropout), fused dense GEMMs. Quality baseline. */
    ZAREMBA
}
