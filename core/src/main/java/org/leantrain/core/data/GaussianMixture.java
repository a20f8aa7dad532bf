package org.leantrain.core.data;

import java.util.Arrays;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A mixture of isotropic Gaussians in d dimensions, Σ_k w_k N(μ_k, σ_k² I), with exact sampling and exact
 * log-density (synthetic targets whose KL divergences can be computed).
 */
public final class GaussianMixture {
    private final double[] weights;
    private final double[][] means;
    private final double[] stds;
    private final int dim;

    public GaussianMixture(double[] weights, double[][] means, double[] stds) {
        if (weights.length == 0 || weights.length != means.length || weights.length != stds.length) {
            throw new IllegalArgumentException("a mixture needs equally many weights, means and stds, got "
                    + weights.length + ", " + means.length + ", " + stds.length);
        }
        double total = 0;
        for (int k = 0; k < weights.length; k++) {
            if (!(weights[k] > 0) || !(stds[k] > 0)) {
                throw new IllegalArgumentException("component " + k + " needs weight > 0 and std > 0, got "
                        + weights[k] + ", " + stds[k]);
            }
            if (means[k].length != means[0].length) {
                throw new IllegalArgumentException("mean " + k + " has dimension " + means[k].length + ", mean 0 has "
                        + means[0].length);
            }
            total += weights[k];
        }
        this.weights = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            this.weights[k] = weights[k] / total;
        }
        this.means = Arrays.stream(means).map(double[]::clone).toArray(double[][]::new);
        this.stds = stds.clone();
        this.dim = means[0].length;
    }

    public int dimension() {
        return dim;
    }

    public int components() {
        return weights.length;
    }

    public double weight(int k) {
        return weights[k];
    }

    /** log p(x) for each row of x [N, d]. */
    public double[] logDensity(INDArray x) {
        if (x.rank() != 2 || x.size(1) != dim) {
            throw new IllegalArgumentException("logDensity expects [N, " + dim + "], got " + Arrays.toString(x.shape()));
        }
        double[][] rows = x.toDoubleMatrix();
        double[] out = new double[rows.length];
        double[] terms = new double[weights.length];
        for (int n = 0; n < rows.length; n++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < weights.length; k++) {
                double sq = 0;
                for (int j = 0; j < dim; j++) {
                    double diff = rows[n][j] - means[k][j];
                    sq += diff * diff;
                }
                double var = stds[k] * stds[k];
                terms[k] = Math.log(weights[k]) - 0.5 * sq / var - 0.5 * dim * Math.log(2 * Math.PI * var);
                max = Math.max(max, terms[k]);
            }
            double sum = 0;
            for (double t : terms) {
                sum += Math.exp(t - max);
            }
            out[n] = max + Math.log(sum);
        }
        return out;
    }

    /** n samples [n, d] and the component each came from. */
    public Sample sample(int n, DataType type, Rng rng) {
        double[] values = new double[n * dim];
        int[] component = new int[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            int k = 0;
            for (double c = weights[0]; u >= c && k < weights.length - 1; c += weights[++k]) {
                // walk the cumulative weights
            }
            component[i] = k;
            for (int j = 0; j < dim; j++) {
                values[i * dim + j] = means[k][j] + stds[k] * rng.nextGaussian();
            }
        }
        return new Sample(Nd4j.create(values, new long[] {n, dim}, type), component);
    }

    /** Samples and their components. */
    public record Sample(INDArray points, int[] components) {}
}
