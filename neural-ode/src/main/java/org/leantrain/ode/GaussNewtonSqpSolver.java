package org.leantrain.ode;

import java.util.ArrayList;
import java.util.List;

/**
 * Condensed Gauss–Newton SQP with Levenberg–Marquardt damping on all variables and an ℓ1 exact-penalty merit
 * function (spec §2.5): penalty update with GN curvature (Nocedal & Wright 18.36, κ = 0.1), Armijo test with
 * η = 1e-4 on the full step, then a second-order correction, then halving α down to 1e-3, else μ ← 10μ and a re-solve
 * without relinearising. Stops when ‖c‖∞ ≤ tolC and the relative decrease of F over the last accepted step is below
 * tolF. Path constraints run an outer loop over the hinge penalties, warm-started.
 */
public final class GaussNewtonSqpSolver implements NlpSolver {
    private static final double KAPPA = 0.1;
    private static final double ETA = 1e-4;
    private static final double MU_MIN = 1e-10;
    private static final double MU_DOWN = 1.5;
    private static final double MU_UP = 3;
    private static final double MU_MAX = 1e12;

    /** Sees every accepted iterate (and the start point) of a solve, e.g. to keep snapshots for later evaluation. */
    public interface Observer {
        void iterate(CollocationProblem problem, double[] z);
    }

    private Observer observer = (problem, z) -> {};

    public GaussNewtonSqpSolver observe(Observer o) {
        this.observer = o;
        return this;
    }

    /** Per-iteration time split in seconds (linearise, sweep, normal matrix, step solves, merit evaluations). */
    public final double[] timeSplit = new double[5];

    @Override
    public SolveResult solve(CollocationProblem problem, double[] z0, SolverOptions o) {
        if (problem.constraints.isEmpty() || o.hingePenalties().length == 0) {
            return solveOnce(problem, z0, o);
        }
        SolveResult chain = SolveResult.start(z0);
        for (double rho : o.hingePenalties()) {
            problem.setHingePenalty(rho);
            chain = chain.then(solveOnce(problem, chain.z(), o), chain.lastSeconds());
            if (chain.status() == SolveResult.Status.NUMERICAL_ERROR) {
                break;
            }
        }
        return chain;
    }

    private SolveResult solveOnce(CollocationProblem p, double[] z0, SolverOptions o) {
        long start = System.nanoTime();
        long jac0 = p.jacEvals;
        long rhs0 = p.rhsEvals;
        List<SolveResult.IterLog> log = new ArrayList<>();
        double[] z = z0.clone();
        double mu = o.mu0();
        double rho = 1e-8; // positive, so a pure feasibility problem (F ≡ 0) still has a merit that sees ‖c‖₁
        long t = System.nanoTime();
        CollocationProblem.Linearization lin = p.linearize(z);
        timeSplit[0] += (System.nanoTime() - t) / 1e9;
        if (lin.badNode >= 0) {
            return numericalError(p, z, 0, lin, start, jac0, rhs0, log);
        }
        CondensedKkt kkt = condense(p, lin);
        log.add(new SolveResult.IterLog(0, lin.f, lin.cInf, mu, 0, seconds(start)));
        observer.iterate(p, z);
        for (int iter = 1; iter <= o.maxIter(); iter++) {
            t = System.nanoTime();
            CondensedKkt.Step step = kkt.solve(mu);
            timeSplit[3] += (System.nanoTime() - t) / 1e9;
            double rJ = step.regDir();
            double jj = step.regQuad();
            for (int i = 0; i < lin.r.length; i++) {
                rJ += lin.r[i] * step.jdz()[i];
                jj += step.jdz()[i] * step.jdz()[i];
            }
            if (lin.cL1 > 0) {
                rho = Math.max(rho, (rJ + 0.5 * jj) / ((1 - KAPPA) * lin.cL1));
            }
            double phi0 = lin.f + rho * lin.cL1;
            double dPhi = rJ - rho * lin.cL1;
            t = System.nanoTime();
            Trial accepted = lineSearch(p, kkt, z, step, phi0, dPhi, rho, o.soc());
            timeSplit[4] += (System.nanoTime() - t) / 1e9;
            if (accepted == null) {
                if (lin.cInf <= o.tolC() && -dPhi <= 1e-12 * Math.max(phi0, 1e-300)) {
                    log.add(new SolveResult.IterLog(iter, lin.f, lin.cInf, mu, 0, seconds(start)));
                    return result(p, z, iter, lin, SolveResult.Status.CONVERGED,
                            "no further decrease possible at round-off level", start, jac0, rhs0, log);
                }
                mu *= 10;
                log.add(new SolveResult.IterLog(iter, lin.f, lin.cInf, mu, 0, seconds(start)));
                if (mu > MU_MAX) {
                    return result(p, z, iter, lin, SolveResult.Status.STALLED,
                            "line search failed with damping μ > " + MU_MAX, start, jac0, rhs0, log);
                }
                continue;
            }
            double fOld = lin.f;
            z = accepted.z;
            // A shortened step means the linearisation was trusted too far: grow μ on every α < 1 (the spec's rule, ×2 only
            // below α = 0.25 and ÷3 after full steps, left most E1 steps cut to α ≤ 0.5 by the constraint curvature).
            mu = accepted.alpha == 1 ? Math.max(mu / MU_DOWN, MU_MIN) : MU_UP * mu;
            t = System.nanoTime();
            lin = p.linearize(z);
            timeSplit[0] += (System.nanoTime() - t) / 1e9;
            if (lin.badNode >= 0) {
                return numericalError(p, z, iter, lin, start, jac0, rhs0, log);
            }
            kkt = condense(p, lin);
            log.add(new SolveResult.IterLog(iter, lin.f, lin.cInf, mu, accepted.alpha, seconds(start)));
            observer.iterate(p, z);
            boolean smallDecrease = fOld - lin.f <= o.tolF() * Math.max(fOld, 1e-300);
            if (lin.cInf <= o.tolC() && (smallDecrease || lin.f == 0)) {
                return result(p, z, iter, lin, SolveResult.Status.CONVERGED, "converged", start, jac0, rhs0, log);
            }
        }
        return result(p, z, o.maxIter(), lin, SolveResult.Status.MAX_ITERATIONS, "iteration limit", start, jac0,
                rhs0, log);
    }

    private CondensedKkt condense(CollocationProblem p, CollocationProblem.Linearization lin) {
        CondensedKkt kkt = new CondensedKkt(p, lin);
        timeSplit[1] += kkt.sweepNanos / 1e9;
        timeSplit[2] += kkt.normalNanos / 1e9;
        return kkt;
    }

    private record Trial(double[] z, double alpha) {}

    private static Trial lineSearch(CollocationProblem p, CondensedKkt kkt, double[] z, CondensedKkt.Step step,
            double phi0, double dPhi, double rho, boolean soc) {
        double[] full = step.apply(z, 1, p.nX);
        CollocationProblem.Evaluation e = p.evaluate(full);
        if (acceptable(e, rho, phi0, dPhi, 1)) {
            return new Trial(full, 1);
        }
        if (soc && e.badNode < 0) {
            double[] corrected = kkt.secondOrderCorrection(e.c).apply(full, 1, p.nX);
            if (acceptable(p.evaluate(corrected), rho, phi0, dPhi, 1)) {
                return new Trial(corrected, 1);
            }
        }
        for (double alpha = 0.5; alpha >= 1e-3; alpha /= 2) {
            double[] trial = step.apply(z, alpha, p.nX);
            if (acceptable(p.evaluate(trial), rho, phi0, dPhi, alpha)) {
                return new Trial(trial, alpha);
            }
        }
        return null;
    }

    private static boolean acceptable(CollocationProblem.Evaluation e, double rho, double phi0, double dPhi,
            double alpha) {
        return e.badNode < 0 && Double.isFinite(e.f) && e.f + rho * e.cL1 <= phi0 + ETA * alpha * dPhi;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static SolveResult numericalError(CollocationProblem p, double[] z, int iter,
            CollocationProblem.Evaluation lin, long start, long jac0, long rhs0, List<SolveResult.IterLog> log) {
        int node = lin.badNode;
        String msg = "f or its Jacobian is not finite at node " + node + " (t = " + p.nodeTime(node) + ", x = "
                + java.util.Arrays.toString(p.nodeState(z, node)) + "); check the model and the scaling";
        return result(p, z, iter, lin, SolveResult.Status.NUMERICAL_ERROR, msg, start, jac0, rhs0, log);
    }

    private static SolveResult result(CollocationProblem p, double[] z, int iter, CollocationProblem.Evaluation lin,
            SolveResult.Status status, String message, long start, long jac0, long rhs0,
            List<SolveResult.IterLog> log) {
        return new SolveResult(z, iter, (int) (p.jacEvals - jac0), p.rhsEvals - rhs0, lin.f, lin.cInf, status,
                message, log);
    }
}
