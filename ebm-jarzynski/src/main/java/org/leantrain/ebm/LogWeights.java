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
        double lse = logSumExp(a);
        double[] p = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            p[i] = Math.exp(a[i] - lse);
        }
        return p;
    }

    /** ESS = exp(2·LSE(A) − LSE(2A)) ∈ [1, N] (spec §2). */
    public static double ess(double[] a) {
        double[] twice = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            twice[i] = 2 * a[i];
        }
        return Math.exp(2 * logSumExp(a) - logSumExp(twice));
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
