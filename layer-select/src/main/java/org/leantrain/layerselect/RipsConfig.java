package org.leantrain.layerselect;

/**
 * What the Vietoris–Rips engine computes (spec §4).
 *
 * @param maxDim highest homology dimension, 0 (H0 only) or 1 (H0 and H1)
 * @param threshold keep simplices with diameter ≤ threshold; {@code Double.POSITIVE_INFINITY} for the full filtration
 * @param useEnclosingRadius also cut at the enclosing radius r_enc, beyond which the complex is a cone; this removes
 *     only zero-length H1 pairs, so the positive bars are unchanged (spec §2)
 * @param emergentPairs take the zero-length shortcut of spec §3D.3a; off gives the same diagrams, slower
 */
public record RipsConfig(int maxDim, double threshold, boolean useEnclosingRadius, boolean emergentPairs) {
    public RipsConfig {
        if (maxDim != 0 && maxDim != 1) {
            throw new IllegalArgumentException("maxDim must be 0 or 1 (H0, H1), got " + maxDim);
        }
        if (Double.isNaN(threshold) || threshold <= 0) {
            throw new IllegalArgumentException("threshold must be > 0 (or +infinity), got " + threshold);
        }
    }

    /** H0 and H1, cut at the enclosing radius, with the emergent shortcut: what AdaBet uses. */
    public static RipsConfig defaults() {
        return new RipsConfig(1, Double.POSITIVE_INFINITY, true, true);
    }

    /** H0 and H1 over the whole filtration (no cut at all). */
    public static RipsConfig unbounded() {
        return new RipsConfig(1, Double.POSITIVE_INFINITY, false, true);
    }

    public RipsConfig withEmergentPairs(boolean on) {
        return new RipsConfig(maxDim, threshold, useEnclosingRadius, on);
    }
}
