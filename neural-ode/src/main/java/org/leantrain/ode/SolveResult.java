package org.leantrain.ode;

import java.util.ArrayList;
import java.util.List;

/** The end of one NLP solve: variables, counts, objective F, constraint violation ‖c‖∞ (scaled) and the log. */
public record SolveResult(double[] z, int iterations, int jacEvals, long rhsEvals, double f, double cInf,
        Status status, String message, List<IterLog> log) {
    public enum Status { CONVERGED, MAX_ITERATIONS, STALLED, NUMERICAL_ERROR }

    /** The neutral start of a chain of solves (no iterations, nothing logged). */
    public static SolveResult start(double[] z) {
        return new SolveResult(z, 0, 0, 0, Double.NaN, Double.NaN, Status.MAX_ITERATIONS, "not solved", List.of());
    }

    /**
     * This solve followed by {@code next}, which started {@code offsetSeconds} after this chain began: counts add up,
     * the log continues (iterations renumbered, times shifted), the end state is next's.
     */
    public SolveResult then(SolveResult next, double offsetSeconds) {
        List<IterLog> joined = new ArrayList<>(log);
        for (IterLog l : next.log()) {
            joined.add(new IterLog(iterations + l.iteration(), l.f(), l.cInf(), l.mu(), l.alpha(),
                    offsetSeconds + l.seconds()));
        }
        return new SolveResult(next.z(), iterations + next.iterations(), jacEvals + next.jacEvals(),
                rhsEvals + next.rhsEvals(), next.f(), next.cInf(), next.status(), next.message(), List.copyOf(joined));
    }

    /** Seconds of the last logged iteration (0 when nothing is logged). */
    public double lastSeconds() {
        return log.isEmpty() ? 0 : log.get(log.size() - 1).seconds();
    }

    /** One accepted (or failed) iteration: F, ‖c‖∞, damping μ, step length α, seconds since the solve started. */
    public record IterLog(int iteration, double f, double cInf, double mu, double alpha, double seconds) {}
}
