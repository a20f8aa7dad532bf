package org.leantrain.sde;

/**
 * ELBO on the fixed evaluation paths against iteration and training wall time (evaluation time excluded), with its
 * KL and log-likelihood parts, and the mean time per training iteration.
 */
public record TrainCurve(String method, int[] iters, double[] seconds, double[] elboEval, double[] kl,
        double[] loglik, double millisPerIteration) {

    /** Index into the curve of the first evaluation with ELBO ≥ threshold, or −1. */
    public int firstReaching(double threshold) {
        for (int i = 0; i < elboEval.length; i++) {
            if (elboEval[i] >= threshold) {
                return i;
            }
        }
        return -1;
    }

    /** Iterations to the threshold, +∞ if never reached. */
    public double itersTo(double threshold) {
        int i = firstReaching(threshold);
        return i < 0 ? Double.POSITIVE_INFINITY : iters[i];
    }

    /** Training seconds to the threshold, +∞ if never reached. */
    public double secondsTo(double threshold) {
        int i = firstReaching(threshold);
        return i < 0 ? Double.POSITIVE_INFINITY : seconds[i];
    }

    /** The last evaluated ELBO at or before the given training seconds. */
    public double elboAtSeconds(double s) {
        double best = elboEval[0];
        for (int i = 0; i < seconds.length && seconds[i] <= s; i++) {
            best = elboEval[i];
        }
        return best;
    }

    public double finalElbo() {
        return elboEval[elboEval.length - 1];
    }

    public double bestElbo() {
        return java.util.Arrays.stream(elboEval).max().orElse(Double.NaN);
    }
}
