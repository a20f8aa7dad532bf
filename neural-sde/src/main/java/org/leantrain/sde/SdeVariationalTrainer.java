package org.leantrain.sde;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.optim.GradClip;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Progress;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a control (and a learned prior's parameters) by maximising the Euler–Maruyama ELBO (spec §3): fresh noise
 * for M paths every iteration, loss = −mean ELBO, global grad-norm clipping, Adam; the ELBO on M_eval fixed paths
 * (the same noise at every evaluation and for every method of a seed) every evalEvery iterations. With a learned
 * prior the linear control is recomputed outside the tape every {@link #REFRESH_EVERY} iterations.
 */
public final class SdeVariationalTrainer {
    public static final int REFRESH_EVERY = 50;

    private final Problem problem;
    private final SdeTrainConfig config;
    private final ElboEstimator estimator;
    private final INDArray[] evalNoise;

    /** The inference problem: prior, noise, observations, grid and start. */
    public record Problem(Drift drift, Diffusion diffusion, Observations obs, TimeGrid grid, double[] x0) {
        public LinearControl linearControl(LinearPart surrogate) {
            return InformationFilter.solve(surrogate, diffusion, obs, grid, x0);
        }
    }

    public SdeVariationalTrainer(Problem problem, SdeTrainConfig config) {
        this.problem = problem;
        this.config = config;
        this.estimator = new ElboEstimator(problem.drift(), problem.diffusion(), problem.obs(), problem.grid(),
                problem.x0());
        this.evalNoise = estimator.noise(config.evalPaths(), new Rng(config.seed() * 7919 + 1));
    }

    public ElboEstimator estimator() {
        return estimator;
    }

    /** ELBO on the fixed evaluation paths: {mean ELBO, mean KL, mean log-likelihood}, no tape. */
    public double[] evaluate(Control control) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            ElboEstimator.Result r = estimator.elbo(control, evalNoise);
            return new double[] {r.meanElbo(), r.kl().value().meanNumber().doubleValue(),
                r.logLikelihood().value().meanNumber().doubleValue()};
        }
    }

    /** One training iteration at a time: fresh noise, −mean ELBO, backward, clipping, Adam (and the prior refresh). */
    public final class Stepper {
        private final Control control;
        private final List<Tensor> params;
        private final Adam adam;
        private final Rng rng = new Rng(config.seed());
        private int iteration;

        Stepper(Control control) {
            this.control = control;
            this.params = new ArrayList<>(control.parameters());
            params.addAll(problem.drift().parameters());
            this.adam = params.isEmpty() ? null : Adam.adam(params, config.lr());
        }

        /** Whether there is anything to train (the linear-only control has no parameters). */
        public boolean trainable() {
            return adam != null;
        }

        /** Runs one iteration and returns its loss (−mean ELBO over the batch). */
        public double step() {
            adam.zeroGrad();
            Tensor loss = estimator.elbo(control, estimator.noise(config.batchPaths(), rng)).elbo().mean().neg();
            double value = loss.item();
            Progress.checkFinite(control.name(), iteration, value);
            loss.backward();
            GradClip.clipGlobalNorm(params, config.clip());
            adam.step();
            iteration++;
            if (!problem.drift().parameters().isEmpty() && iteration % REFRESH_EVERY == 0) {
                control.linearControlChanged(problem.linearControl(problem.drift().linearPart()));
            }
            return value;
        }
    }

    public Stepper stepper(Control control) {
        return new Stepper(control);
    }

    public TrainCurve train(Control control, String label) {
        Stepper stepper = new Stepper(control);
        List<double[]> points = new ArrayList<>(); // iteration, seconds, elbo, kl, loglik
        Progress progress = new Progress(label, config.iters(), Math.max(1, config.iters() / 4));
        double trainSeconds = 0;
        for (int it = 0; it <= config.iters(); it++) {
            if (it % config.evalEvery() == 0 || it == config.iters()) {
                double[] e = evaluate(control);
                points.add(new double[] {it, trainSeconds, e[0], e[1], e[2]});
            }
            if (it == config.iters() || !stepper.trainable()) {
                break; // after the final evaluation, or nothing to train (evaluated once)
            }
            long start = System.nanoTime();
            double value = stepper.step();
            trainSeconds += (System.nanoTime() - start) / 1e9;
            progress.step(it + 1, value);
        }
        int n = points.size();
        int[] iters = new int[n];
        double[][] cols = new double[4][n];
        for (int i = 0; i < n; i++) {
            iters[i] = (int) points.get(i)[0];
            for (int c = 0; c < 4; c++) {
                cols[c][i] = points.get(i)[c + 1];
            }
        }
        double msPerIter = config.iters() == 0 || !stepper.trainable() ? 0 : trainSeconds * 1e3 / config.iters();
        return new TrainCurve(control.name(), iters, cols[0], cols[1], cols[2], cols[3], msPerIter);
    }
}
