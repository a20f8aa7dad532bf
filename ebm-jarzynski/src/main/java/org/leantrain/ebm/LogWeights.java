package org.leantrain.ebm;

/** Max-subtracted arithmetic on log-weights A (double only; never exponentiates a raw log-weight). */
public final class LogWeights {
    private LogWeights() {}

    /** LSE(A) = log Σ exp(A_i). */
    public static double logSumExp(double[] a) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (double v : a) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    /** p_i = exp(A_i − LSE(A)). */
    public static double[] normalize(double[] a) {
        return normalize(a, logSumExp(a));
    }

    /** p_i = exp(A_i − lse) with lse = LSE(A) already known. */
    static double[] normalize(double[] a, double lse) {
        double[] p = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            p[i] = Math.exp(a[i] - lse);
        }
        return p;
    }

    /** ESS = (Σ e^A)² / Σ e^{2A} = 1/Σ p_i² ∈ [1, N] (spec §2). */
    public static double ess(double[] a) {
        return essOfNormalized(normalize(a));
    }

    /** 1/Σ p_i² for normalized weights p. */
    static double essOfNormalized(double[] p) {
        double sumSquares = 0;
        for (double v : p) {
            sumSquares += v * v;
        }
        return 1 / sumSquares;
    }

    /** LSE(A) − log N: the log of the mean weight. */
    public static double logMeanWeight(double[] a) {
        return logSumExp(a) - Math.log(a.length);
    }

    public static double[] uniform(int n) {
        double[] p = new double[n];
        java.util.Arrays.fill(p, 1.0 / n);
        return p;
    }
}
