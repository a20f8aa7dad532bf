package org.leantrain.ebm.metrics;

import org.leantrain.ebm.GaussianMixtureEnergy;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Exact quality measures for a Gaussian-mixture student against a Gaussian-mixture teacher (T = 1). */
public final class GmmMetrics {
    private GmmMetrics() {}

    /**
     * KL(ρ_*‖ρ_θ) with the analytic Z and the expectation over the data: mean_j [log ρ_*(x_j) − log ρ_θ(x_j)]
     * (the "exact (empirical)" KL of spec §7; it can be slightly negative).
     */
    public static double exactKl(GaussianMixtureEnergy teacher, GaussianMixtureEnergy student, INDArray data) {
        double[] lt = teacher.logDensity(data);
        double[] ls = student.logDensity(data);
        double s = 0;
        for (int i = 0; i < lt.length; i++) {
            s += lt[i] - ls[i];
        }
        return s / lt.length;
    }

    /** H(ρ_*) estimated on the data, −mean log ρ_*(x_j). */
    public static double dataEntropy(GaussianMixtureEnergy teacher, INDArray data) {
        double[] lt = teacher.logDensity(data);
        double s = 0;
        for (double v : lt) {
            s -= v;
        }
        return s / lt.length;
    }

    /** ½ Σ |p_i − q_i|. */
    public static double totalVariation(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("distributions of different sizes: " + p.length + " vs " + q.length);
        }
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += Math.abs(p[i] - q[i]);
        }
        return s / 2;
    }
}
