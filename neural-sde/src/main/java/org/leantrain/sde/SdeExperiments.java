package org.leantrain.sde;

import org.leantrain.core.util.Rng;

/**
 * The quick experiments of spec §7: E1 Brownian bridge, E2 Ornstein–Uhlenbeck with 8 observations of a prior path,
 * E3 double well with 20 observations of a path that crosses between the wells. Each gives the problem, the linear
 * surrogate u_lin is built from, and the settings of the spec.
 */
public final class SdeExperiments {
    private SdeExperiments() {}

    /** One experiment: the problem, the surrogate for u_lin, the learning rate and the quick iteration budget. */
    public record Experiment(String name, SdeVariationalTrainer.Problem problem, LinearPart surrogate, boolean linearPrior,
            double lr, int quickIters) {}

    /** E1: BM, σ = 1, T = 1, x0 = 0, O = 1 at T with r = 0.01, K = 100. */
    public static Experiment bridge() {
        Observations obs = Observations.scalar(new double[] {1}, new double[] {1}, 1, 0.01);
        LinearDrift bm = LinearDrift.brownian(1);
        return new Experiment("bridge", new SdeVariationalTrainer.Problem(bm, Diffusion.diag(1), obs,
                new TimeGrid(1, 100), new double[] {0}), bm.linearPart(), true, 1e-2, 300);
    }

    /** E2: OU θ = 1, σ = 0.5, x0 = 0, T = 4, K = 200, r = 0.1², observed at 0.5, 1.0, …, 4.0 (path seed 123). */
    public static Experiment ornsteinUhlenbeck() {
        LinearDrift ou = LinearDrift.ornsteinUhlenbeck(1);
        TimeGrid grid = new TimeGrid(4, 200);
        double[] times = new double[8];
        for (int i = 0; i < times.length; i++) {
            times[i] = 0.5 * (i + 1);
        }
        double[] path = simulate(x -> -x, 0.5, 0, grid, 20, new Rng(123));
        Observations obs = observe(path, grid, times, 0.01, new Rng(124));
        return new Experiment("ou", new SdeVariationalTrainer.Problem(ou, Diffusion.diag(0.5), obs, grid,
                new double[] {0}), ou.linearPart(), true, 1e-2, 400);
    }

    /**
     * E3: b(x) = x − x³, σ = 0.7, x0 = −1, T = 6, K = 300, r = 0.1², 20 observations every 0.3 of a path simulated
     * with 20 Euler substeps per grid step, redrawn (seed + 1, …) until it ends in the right well; LEAST_SQUARES
     * surrogate over the observed range widened by 10% on each side.
     */
    public static Experiment doubleWell() {
        TimeGrid grid = new TimeGrid(6, 300);
        double[] times = new double[20];
        for (int i = 0; i < times.length; i++) {
            times[i] = 0.3 * (i + 1);
        }
        double[] path;
        long seed = 123;
        do {
            path = simulate(x -> x - x * x * x, 0.7, -1, grid, 20, new Rng(seed++));
        } while (path[grid.steps()] <= 0);
        Observations obs = observe(path, grid, times, 0.01, new Rng(seed + 1000));
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] o : obs.values()) {
            lo = Math.min(lo, o[0]);
            hi = Math.max(hi, o[0]);
        }
        double widen = 0.1 * (hi - lo);
        DoubleWellDrift drift = new DoubleWellDrift();
        LinearPart surrogate = LinearPart.leastSquares(drift, 1, lo - widen, hi + widen, 1001);
        return new Experiment("doublewell", new SdeVariationalTrainer.Problem(drift, Diffusion.diag(0.7), obs, grid,
                new double[] {-1}), surrogate, false, 1e-2, 300);
    }

    public static Experiment named(String name) {
        return switch (name) {
            case "bridge" -> bridge();
            case "ou" -> ornsteinUhlenbeck();
            case "doublewell" -> doubleWell();
            default -> throw new IllegalArgumentException("unknown experiment '" + name
                    + "'; choose from bridge, ou, doublewell");
        };
    }

    /** A 1-D prior path on the grid points, simulated with `substeps` Euler steps per grid step. */
    static double[] simulate(java.util.function.DoubleUnaryOperator drift, double sigma, double x0, TimeGrid grid,
            int substeps, Rng rng) {
        double h = grid.dt() / substeps;
        double[] path = new double[grid.steps() + 1];
        double x = x0;
        path[0] = x;
        for (int k = 1; k <= grid.steps(); k++) {
            for (int s = 0; s < substeps; s++) {
                x += drift.applyAsDouble(x) * h + sigma * Math.sqrt(h) * rng.nextGaussian();
            }
            path[k] = x;
        }
        return path;
    }

    private static Observations observe(double[] path, TimeGrid grid, double[] times, double r, Rng rng) {
        double[] values = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            values[i] = path[grid.indexOf(times[i])] + Math.sqrt(r) * rng.nextGaussian();
        }
        return Observations.scalar(times, values, 1, r);
    }
}
