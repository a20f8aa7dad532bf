package org.leantrain.ode;

import java.util.List;

/** The end of one NLP solve: variables, counts, objective F, constraint violation ‖c‖∞ (scaled) and the log. */
public record SolveResult(double[] z, int iterations, int jacEvals, long rhsEvals, double f, double cInf,
        Status status, String message, List<IterLog> log) {
    public enum Status { CONVERGED, MAX_ITERATIONS, STALLED, NUMERICAL_ERROR }

    /** One accepted (or failed) iteration: F, ‖c‖∞, damping μ, step length α, seconds since the solve started. */
    public record IterLog(int iteration, double f, double cInf, double mu, double alpha, double seconds) {}
}
