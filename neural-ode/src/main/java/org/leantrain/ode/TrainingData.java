package org.leantrain.ode;

import java.util.function.DoubleFunction;

/**
 * Observations ŷ_d of the states {@code observedStates} at increasing times t_d, with one weight per observed state
 * (W = 1/scale²) and the known input u(t) (null for an autonomous model).
 */
public record TrainingData(double[] times, double[][] obs, int[] observedStates, double[] weights,
        DoubleFunction<double[]> input) {
    public TrainingData {
        if (times == null || times.length == 0) {
            throw new IllegalArgumentException("TrainingData is empty: give at least one observation time");
        }
        if (obs.length != times.length) {
            throw new IllegalArgumentException(times.length + " times but " + obs.length + " observation rows");
        }
        if (weights.length != observedStates.length) {
            throw new IllegalArgumentException(observedStates.length + " observed states but " + weights.length
                    + " weights; give one weight per observed state");
        }
        for (int d = 0; d < times.length; d++) {
            if (!Double.isFinite(times[d])) {
                throw new IllegalArgumentException("data time " + d + " is " + times[d]);
            }
            if (d > 0 && !(times[d] > times[d - 1])) {
                throw new IllegalArgumentException("data times must increase strictly, but t[" + (d - 1) + "] = "
                        + times[d - 1] + " and t[" + d + "] = " + times[d]);
            }
            if (obs[d].length != observedStates.length) {
                throw new IllegalArgumentException("observation row " + d + " has " + obs[d].length
                        + " values for " + observedStates.length + " observed states");
            }
            for (int o = 0; o < obs[d].length; o++) {
                if (!Double.isFinite(obs[d][o])) {
                    throw new IllegalArgumentException("observation " + d + " (t = " + times[d] + ", state "
                            + observedStates[o] + ") is " + obs[d][o] + "; remove or impute it before training");
                }
            }
        }
        for (double w : weights) {
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("observation weights must be finite and ≥ 0, got " + w);
            }
        }
        times = times.clone();
        observedStates = observedStates.clone();
        weights = weights.clone();
    }

    public int size() {
        return times.length;
    }

    /** Checks the data against a model with nx states and nu inputs on [t0, tf]. */
    public void validate(int nx, int nu, double t0, double tf) {
        for (int s : observedStates) {
            if (s < 0 || s >= nx) {
                throw new IllegalArgumentException("observed state index " + s + " is out of range: the model has "
                        + nx + " states (0.." + (nx - 1) + ")");
            }
        }
        if (times[0] < t0 || times[times.length - 1] > tf) {
            throw new IllegalArgumentException("data times [" + times[0] + ", " + times[times.length - 1]
                    + "] lie outside the mesh [" + t0 + ", " + tf + "]");
        }
        if (nu > 0 && input == null) {
            throw new IllegalArgumentException("the model has " + nu + " inputs but the data give no input u(t)");
        }
    }

    /** u(t) checked for length and finiteness (an empty array for autonomous models). */
    public double[] inputAt(double t, int nu) {
        if (nu == 0) {
            return new double[0];
        }
        double[] u = input.apply(t);
        if (u.length != nu) {
            throw new IllegalArgumentException("input u(" + t + ") has " + u.length + " values, the model expects "
                    + nu);
        }
        for (double v : u) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("input u(" + t + ") holds " + v + "; inputs must be finite");
            }
        }
        return u;
    }
}
