package org.leantrain.ode;

/** Solves the collocation NLP from a starting point. */
public interface NlpSolver {
    SolveResult solve(CollocationProblem problem, double[] z0, SolverOptions options);
}
