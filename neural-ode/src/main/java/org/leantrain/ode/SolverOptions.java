package org.leantrain.ode;

/**
 * Options of the Gauss–Newton SQP: iteration cap, initial Levenberg–Marquardt damping μ0, the constraint tolerance
 * (‖c‖∞ on the scaled problem), the relative-decrease tolerance on F, whether to try a second-order correction, and the
 * hinge penalties of the outer loop for path constraints (one solve per penalty, warm-started).
 */
public record SolverOptions(int maxIter, double mu0, double tolC, double tolF, boolean soc, double[] hingePenalties) {
    public SolverOptions {
        if (maxIter < 1 || !(mu0 > 0) || !(tolC > 0) || !(tolF >= 0)) {
            throw new IllegalArgumentException("solver options need maxIter ≥ 1, mu0 > 0, tolC > 0, tolF ≥ 0; got "
                    + maxIter + ", " + mu0 + ", " + tolC + ", " + tolF);
        }
        hingePenalties = hingePenalties.clone();
    }

    public static SolverOptions defaults() {
        return new SolverOptions(200, 1e-4, 1e-8, 1e-6, true, new double[] {1e1, 1e2, 1e3, 1e4});
    }

    public SolverOptions withMaxIter(int n) {
        return new SolverOptions(n, mu0, tolC, tolF, soc, hingePenalties);
    }

    public SolverOptions withTolerances(double c, double f) {
        return new SolverOptions(maxIter, mu0, c, f, soc, hingePenalties);
    }
}
