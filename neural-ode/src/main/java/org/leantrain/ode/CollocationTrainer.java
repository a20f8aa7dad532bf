package org.leantrain.ode;

import java.util.List;
import org.leantrain.core.util.Rng;

/**
 * Trains a PeN-ODE by direct collocation (spec §3): a mesh whose points include every data time, states initialised
 * from the data, network weights Glorot-normal with a zero last layer (the model starts as the pure physics), x_0
 * free, then the NLP solver, then optional rounds of mesh refinement (bisect, transfer, re-solve).
 */
public final class CollocationTrainer {
    private CollocationTrainer() {}

    /**
     * @param derivativeOf for each state, the observed state it is the time derivative of (−1 if none): unobserved
     *     states are initialised from differences of a 5-point moving average of that state's data, others by a
     *     forward simulation of the initial model
     */
    public record Config(int stages, double maxStep, double lambda, List<PathConstraint> constraints,
            SolverOptions solver, int maxRefine, double meshTol, int[] derivativeOf, long seed) {
        public Config {
            RadauIIA.of(stages);
            if (!(maxStep > 0) || !(lambda >= 0) || maxRefine < 0 || !(meshTol > 0)) {
                throw new IllegalArgumentException("collocation config needs maxStep > 0, λ ≥ 0, maxRefine ≥ 0,"
                        + " meshTol > 0; got " + maxStep + ", " + lambda + ", " + maxRefine + ", " + meshTol);
            }
            constraints = List.copyOf(constraints);
        }

        public static Config defaults() {
            return new Config(3, 0.1, 1e-4, List.of(), SolverOptions.defaults(), 0, 1e-6, null, 0);
        }

        public Config withMesh(int m, double h) {
            return new Config(m, h, lambda, constraints, solver, maxRefine, meshTol, derivativeOf, seed);
        }

        public Config withLambda(double l) {
            return new Config(stages, maxStep, l, constraints, solver, maxRefine, meshTol, derivativeOf, seed);
        }

        public Config withConstraints(List<PathConstraint> c) {
            return new Config(stages, maxStep, lambda, c, solver, maxRefine, meshTol, derivativeOf, seed);
        }

        public Config withSolver(SolverOptions o) {
            return new Config(stages, maxStep, lambda, constraints, o, maxRefine, meshTol, derivativeOf, seed);
        }

        public Config withRefinement(int rounds, double tol) {
            return new Config(stages, maxStep, lambda, constraints, solver, rounds, tol, derivativeOf, seed);
        }

        public Config withDerivativeOf(int... d) {
            return new Config(stages, maxStep, lambda, constraints, solver, maxRefine, meshTol, d, seed);
        }

        public Config withSeed(long s) {
            return new Config(stages, maxStep, lambda, constraints, solver, maxRefine, meshTol, derivativeOf, s);
        }
    }

    /** The trained variables on the final mesh, the last solve, and totals over all rounds. */
    public record Result(CollocationProblem problem, double[] z, SolveResult solve, int iterations, int jacEvals,
            long rhsEvals, double seconds, int refineRounds) {
        public double[] theta() {
            return problem.theta(z);
        }

        public double[] phi() {
            return problem.phi(z);
        }

        public double[] x0() {
            return problem.x0(z);
        }
    }

    public static Result train(PeNodeModel model, TrainingData data, Config cfg, NlpSolver solver) {
        long start = System.nanoTime();
        double[] times = data.times();
        Mesh mesh = Mesh.covering(times, times[0], times[times.length - 1], cfg.maxStep());
        double[] theta0 = model.net() == null ? new double[0] : model.net().initialWeights(new Rng(cfg.seed()));
        CollocationProblem p = new CollocationProblem(model, data, mesh, cfg.stages(), cfg.lambda(), true, null,
                cfg.constraints());
        double[] z = initialGuess(p, data, cfg.derivativeOf(), theta0);
        checkConsistency(p, z);
        SolveResult chain = SolveResult.start(z);
        int round = 0;
        while (true) {
            double solveStart = (System.nanoTime() - start) / 1e9;
            chain = chain.then(solver.solve(p, z, cfg.solver()), solveStart);
            z = chain.z();
            if (round >= cfg.maxRefine() || chain.status() == SolveResult.Status.NUMERICAL_ERROR) {
                break;
            }
            double[] err = MeshRefiner.estimate(p, z);
            if (java.util.Arrays.stream(err).max().orElse(0) <= cfg.meshTol()) {
                break;
            }
            Mesh refined = MeshRefiner.refine(p.mesh, err, cfg.meshTol());
            CollocationProblem next = new CollocationProblem(model, data, refined, cfg.stages(), cfg.lambda(), true,
                    null, cfg.constraints());
            z = MeshRefiner.transfer(p, z, next);
            p = next;
            round++;
        }
        return new Result(p, z, chain, chain.iterations(), chain.jacEvals(), chain.rhsEvals(),
                (System.nanoTime() - start) / 1e9, round);
    }

    /**
     * Observed states by linear interpolation of the data; unobserved ones from the derivative rule or a forward
     * simulation of the initial model; x_0 from the same rules at t_0.
     */
    static double[] initialGuess(CollocationProblem p, TrainingData data, int[] derivativeOf, double[] theta) {
        int nx = p.nx;
        double[] times = data.times();
        double[][] series = new double[nx][];
        int[] observed = data.observedStates();
        for (int o = 0; o < observed.length; o++) {
            double[] col = new double[times.length];
            for (int d = 0; d < times.length; d++) {
                col[d] = data.obs()[d][o];
            }
            series[observed[o]] = col;
        }
        if (derivativeOf != null) {
            if (derivativeOf.length != nx) {
                throw new IllegalArgumentException("derivativeOf needs one entry per state (" + nx + "), got "
                        + derivativeOf.length);
            }
            for (int k = 0; k < nx; k++) {
                int j = derivativeOf[k];
                if (series[k] == null && j >= 0) {
                    if (j >= nx || series[j] == null) {
                        throw new IllegalArgumentException("state " + k + " is set to the derivative of state " + j
                                + ", which is not observed");
                    }
                    series[k] = smoothedDerivative(times, series[j]);
                }
            }
        }
        double[] x0 = new double[nx];
        for (int k = 0; k < nx; k++) {
            x0[k] = series[k] == null ? 0 : interpolate(times, series[k], p.mesh.start());
        }
        double[][] states = new double[p.nodeCount()][nx];
        boolean needSimulation = false;
        for (int k = 0; k < nx; k++) {
            needSimulation |= series[k] == null;
        }
        double[][] simulated = null;
        if (needSimulation) {
            double[] nodeTimes = new double[p.nodeCount()];
            for (int k = 0; k < nodeTimes.length; k++) {
                nodeTimes[k] = p.nodeTime(k);
            }
            simulated = OdeIntegrators.dopri5(OdeIntegrators.of(p.model, theta, p.model.phiInit(), data.input()),
                    p.mesh.start(), x0, nodeTimes, 1e-6, 1e-8);
        }
        for (int node = 0; node < p.nodeCount(); node++) {
            for (int k = 0; k < nx; k++) {
                states[node][k] = series[k] != null ? interpolate(times, series[k], p.nodeTime(node))
                        : simulated[node][k];
            }
        }
        return p.pack(states, x0, theta, p.model.phiInit());
    }

    static double interpolate(double[] t, double[] v, double at) {
        if (at <= t[0]) {
            return v[0];
        }
        if (at >= t[t.length - 1]) {
            return v[v.length - 1];
        }
        int i = java.util.Arrays.binarySearch(t, at);
        if (i >= 0) {
            return v[i];
        }
        i = -i - 2;
        double w = (at - t[i]) / (t[i + 1] - t[i]);
        return (1 - w) * v[i] + w * v[i + 1];
    }

    /** Central differences of a 5-point moving average (one-sided at the ends). */
    static double[] smoothedDerivative(double[] t, double[] v) {
        int n = v.length;
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            int lo = Math.max(0, i - 2);
            int hi = Math.min(n - 1, i + 2);
            double sum = 0;
            for (int k = lo; k <= hi; k++) {
                sum += v[k];
            }
            s[i] = sum / (hi - lo + 1);
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            int lo = Math.max(0, i - 1);
            int hi = Math.min(n - 1, i + 1);
            d[i] = hi == lo ? 0 : (s[hi] - s[lo]) / (t[hi] - t[lo]);
        }
        return d;
    }

    /** The batched (tensor) and row forms of the physics must agree, or the solver's Jacobians would be wrong. */
    static void checkConsistency(CollocationProblem p, double[] z) {
        int node = p.nodeCount() / 2;
        double[] x = p.nodeState(z, node);
        double[] u = p.nodeInputs[node];
        double t = p.nodeTime(node);
        double[] theta = p.theta(z);
        double[] phi = p.phi(z);
        NodeJacobians jac = NodeJacobians.compute(p.model, new double[][] {x}, p.nu == 0 ? null : new double[][] {u},
                new double[] {t}, theta, phi);
        double[] row = new double[p.nx];
        p.model.rowRhs().eval(x, u, t, theta, phi, row);
        for (int d = 0; d < p.nx; d++) {
            if (Math.abs(row[d] - jac.f[0][d]) > 1e-9 * (1 + Math.abs(row[d]))) {
                throw new IllegalArgumentException("PhysicsRhs.rhs and rhsRow disagree at t = " + t + ", x = "
                        + java.util.Arrays.toString(x) + ": component " + d + " is " + jac.f[0][d] + " vs "
                        + row[d] + "; the two forms must compute the same f");
            }
        }
    }
}
