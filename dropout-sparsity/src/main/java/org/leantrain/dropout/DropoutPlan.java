package org.leantrain.dropout;

import org.leantrain.core.tensor.Function;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The masks of one training segment at every dropout site, and how each site's projection runs with them.
 * Site 0 is the embedding output, site s the output of layer s, site L the input of the decoder.
 */
public final class DropoutPlan {
    private final Function[] sites;
    private final KeptSets keptSets;

    private DropoutPlan(Function[] sites, KeptSets keptSets) {
        this.sites = sites;
        this.keptSets = keptSets;
    }

    /** Draws fresh masks for a variant (Case III sets for the first three, per-element masks for ZAREMBA). */
    public static DropoutPlan draw(Variant variant, DropoutConfig config, int[] widths, int steps, int batch,
            DataType type, Rng rng) {
        for (int width : widths) {
            config.checkWidth(width);
        }
        if (variant == Variant.ZAREMBA) {
            return zaremba(config.p(), widths, steps, batch, type, rng);
        }
        KeptSets kept = KeptSets.draw(new StructuredMaskSampler(config.p(), config.mode()), widths, steps, rng);
        return of(variant, kept, type);
    }

    /** The given Case III masks run structured (weights gathered again or kept) or dense (per step or fused). */
    public static DropoutPlan of(Variant variant, KeptSets kept, DataType type) {
        Function[] sites = new Function[kept.sites()];
        for (int s = 0; s < sites.length; s++) {
            sites[s] = switch (variant) {
                case STRUCTURED -> new StructuredProjection(kept.keptAtSite(s), kept.scalesAtSite(s), false);
                case STRUCTURED_KEPT_WEIGHTS -> new StructuredProjection(kept.keptAtSite(s), kept.scalesAtSite(s), true);
                case DENSE_MASKED -> new DenseProjection(kept.scaledColumnMask(s, type), false);
                case DENSE_MASKED_FUSED -> new DenseProjection(kept.scaledColumnMask(s, type), true);
                case ZAREMBA -> throw new IllegalArgumentException("ZAREMBA masks are per element, not kept sets");
            };
        }
        return new DropoutPlan(sites, kept);
    }

    /** Case I inverted dropout: every element kept with probability 1 − p and scaled by 1/(1 − p). */
    public static DropoutPlan zaremba(double p, int[] widths, int steps, int batch, DataType type, Rng rng) {
        Function[] sites = new Function[widths.length];
        for (int s = 0; s < sites.length; s++) {
            INDArray mask = rng.bernoulli(type, 1 - p, steps, widths[s], batch).muli(1 / (1 - p));
            sites[s] = new DenseProjection(mask, true);
        }
        return new DropoutPlan(sites, null);
    }

    /** No dropout (evaluation): dense per-step projections with nothing multiplied in. */
    public static DropoutPlan none(int siteCount) {
        Function[] sites = new Function[siteCount];
        for (int s = 0; s < siteCount; s++) {
            sites[s] = new DenseProjection(null, false);
        }
        return new DropoutPlan(sites, null);
    }

    public int sites() {
        return sites.length;
    }

    /** The Case III kept sets, or null for ZAREMBA and no dropout. */
    public KeptSets keptSets() {
        return keptSets;
    }

    /** P = Wᵀᵀ(dropout_site(A)) + b for feature-major A [T, n, B]; P is [T, N, B]. */
    Tensor project(int site, Tensor activations, Tensor weightT, Tensor bias) {
        return sites[site].apply1(activations, weightT, bias);
    }
}
