package org.leantrain.ode;

/**
 * One training method's outcome on an experiment: F at the end, re-simulation errors, the wall time to reach the
 * baseline's final F (NaN if never), total wall time, and evaluation counts (single-node units). Errors are MSEs in
 * the experiment's units; {@code extra} holds the experiment-specific number (E2: damper RMS error in N).
 */
public record MethodReport(String method, double f, double trainMseClean, double trainMseData, double testMse,
        double extra, double seconds, double secondsToTarget, long jacEvals, long rhsEvals, long vjpEvals,
        int iterations, String status) {}
