package org.leantrain.dropout;

import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The kept units K[site][t] of the Case III masks of one training segment, with their scales κ. Drawn once
 * before the forward pass and kept until backward: re-sampling between the two would be a different mask.
 * Immutable.
 */
public final class KeptSets {
    private final int[][][] kept;
    private final int[] widths;
    private final double[][] scales;

    /**
     * @param kept   sorted, distinct unit indices per site and step
     * @param widths the unit count n_s of each site
     * @param scales κ per site and step (finite, ≥ 0)
     */
    public KeptSets(int[][][] kept, int[] widths, double[][] scales) {
        if (kept.length == 0 || kept.length != widths.length || kept.length != scales.length) {
            throw new IllegalArgumentException("kept sets need one entry per site: " + kept.length + " kept, "
                    + widths.length + " widths, " + scales.length + " scales");
        }
        int steps = kept[0].length;
        this.kept = new int[kept.length][][];
        this.scales = new double[kept.length][];
        for (int s = 0; s < kept.length; s++) {
            if (kept[s].length != steps || scales[s].length != steps || steps < 1) {
                throw new IllegalArgumentException("site " + s + " has " + kept[s].length + " kept sets and "
                        + scales[s].length + " scales; every site needs one per step (" + steps + ")");
            }
            this.kept[s] = new int[steps][];
            for (int t = 0; t < steps; t++) {
                this.kept[s][t] = checkSorted(kept[s][t], widths[s], s, t);
                if (!(Double.isFinite(scales[s][t]) && scales[s][t] >= 0)) {
                    throw new IllegalArgumentException("scale at site " + s + ", step " + t + " is " + scales[s][t]);
                }
            }
            this.scales[s] = scales[s].clone();
        }
        this.widths = widths.clone();
    }

    /** Fresh masks for every site and step. */
    public static KeptSets draw(StructuredMaskSampler sampler, int[] widths, int steps, Rng rng) {
        int[][][] kept = new int[widths.length][steps][];
        double[][] scales = new double[widths.length][steps];
        for (int s = 0; s < widths.length; s++) {
            for (int t = 0; t < steps; t++) {
                kept[s][t] = sampler.keptIndices(widths[s], rng);
                scales[s][t] = sampler.scale(widths[s], kept[s][t].length);
            }
        }
        return new KeptSets(kept, widths, scales);
    }

    private static int[] checkSorted(int[] units, int width, int site, int step) {
        for (int i = 0; i < units.length; i++) {
            if (units[i] < 0 || units[i] >= width) {
                throw new IllegalArgumentException("kept unit " + units[i] + " at site " + site + ", step " + step
                        + " is outside [0, " + width + ")");
            }
            if (i > 0 && units[i] <= units[i - 1]) {
                throw new IllegalArgumentException("kept units at site " + site + ", step " + step
                        + " must be sorted and distinct, got " + units[i - 1] + " then " + units[i]);
            }
        }
        return units.clone();
    }

    public int sites() {
        return kept.length;
    }

    public int steps() {
        return kept[0].length;
    }

    public int width(int site) {
        return widths[site];
    }

    public int[] kept(int site, int t) {
        return kept[site][t].clone();
    }

    int[][] keptAtSite(int site) {
        return kept[site];
    }

    double[] scalesAtSite(int site) {
        return scales[site];
    }

    public double scale(int site, int t) {
        return scales[site][t];
    }

    /** Throws unless these sets fit a model with these site widths and a segment of {@code steps}. */
    public void check(int[] siteWidths, int steps) {
        if (!java.util.Arrays.equals(siteWidths, widths) || steps != steps()) {
            throw new IllegalArgumentException("kept sets are for site widths " + java.util.Arrays.toString(widths)
                    + " and " + steps() + " steps; the model has widths " + java.util.Arrays.toString(siteWidths)
                    + " and the segment " + steps + " steps");
        }
    }

    /** The 0/1 mask of a site and step as the dense reference sees it: [batch, width], every row the same. */
    public INDArray denseMask(int site, int t, int batch, DataType type) {
        INDArray row = Nd4j.zeros(type, 1, widths[site]);
        for (int j : kept[site][t]) {
            row.putScalar(0, j, 1.0);
        }
        return row.repeat(0, batch);
    }

    /** κ·mask of one site for all steps, feature-major [steps, width, 1]: what the dense path multiplies in. */
    INDArray scaledColumnMask(int site, DataType type) {
        double[] values = new double[steps() * widths[site]];
        for (int t = 0; t < steps(); t++) {
            for (int j : kept[site][t]) {
                values[t * widths[site] + j] = scales[site][t];
            }
        }
        return Nd4j.createFromArray(values).castTo(type).reshape(steps(), widths[site], 1);
    }
}
