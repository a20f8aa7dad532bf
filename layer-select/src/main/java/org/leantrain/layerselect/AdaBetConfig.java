package org.leantrain.layerselect;

/**
 * AdaBet settings (spec §2, §4).
 *
 * @param rho fraction of candidate layers to train, 0 < ρ ≤ 1
 * @param minLayers k_min: train at least this many layers (k = max(k_min, ⌊ρ·L⌋))
 * @param numBatches N_b unlabelled batches averaged in the score
 * @param batchSize B points per cloud (≥ 4: no 1-cycle exists on fewer points)
 * @param normalization divide b1 by the activation size m_l, or use raw b1 ("AdaBet-raw")
 * @param rips the persistence engine's settings
 */
public record AdaBetConfig(double rho, int minLayers, int numBatches, int batchSize, Normalization normalization,
        RipsConfig rips) {

    public enum Normalization { PER_ACTIVATION_SIZE, NONE }

    public AdaBetConfig {
        if (!(rho > 0 && rho <= 1)) {
            throw new IllegalArgumentException("rho must be in (0, 1], got " + rho);
        }
        if (minLayers < 1) {
            throw new IllegalArgumentException("minLayers must be >= 1, got " + minLayers);
        }
        if (numBatches < 1) {
            throw new IllegalArgumentException("numBatches must be >= 1, got " + numBatches);
        }
        if (batchSize < 4) {
            throw new IllegalArgumentException("batchSize must be >= 4 (no H1 class exists on fewer points), got "
                    + batchSize);
        }
        if (normalization == null || rips == null) {
            throw new IllegalArgumentException("normalization and rips must be given");
        }
        if (rips.maxDim() < 1) {
            throw new IllegalArgumentException("AdaBet counts H1 bars: rips.maxDim must be 1, got " + rips.maxDim());
        }
    }

    /** The paper's defaults: B = 32, N_b = 4, normalised by activation size, at the given ρ. */
    public static AdaBetConfig of(double rho) {
        return new AdaBetConfig(rho, 1, 4, 32, Normalization.PER_ACTIVATION_SIZE, RipsConfig.defaults());
    }

    public AdaBetConfig withNormalization(Normalization n) {
        return new AdaBetConfig(rho, minLayers, numBatches, batchSize, n, rips);
    }

    /** k = max(k_min, ⌊ρ·L⌋) for L candidates, the product in double as written (ρ = 0.3, L = 7 → 2). */
    public int layersToTrain(int candidates) {
        int k = Math.max(minLayers, (int) Math.floor(rho * candidates));
        if (k > candidates) {
            throw new IllegalArgumentException("k = " + k + " layers to train but the model has only " + candidates
                    + " candidates; lower minLayers");
        }
        return k;
    }
}
