package org.leantrain.sde;

import java.util.List;
import org.leantrain.core.util.Rng;

/**
 * Spec §7's comparison on one experiment and seed: the hybrid u_lin + u_NN against the NN-only baseline (same network,
 * same zero last layer, same data noise), trained side by side; the linear control's one-off cost is timed and
 * charged to the hybrid's wall time.
 */
public final class SdeComparison {
    /** Both methods' curves on one seed, the filter cost, and for linear priors ELBO*_K and the Euler evidence. */
    public record Run(long seed, TrainCurve hybrid, TrainCurve neuralOnly, double filterSeconds, double elboStar,
            double logZEuler, double[][] hybridPaths, double[][] neuralOnlyPaths) {}

    /** Posterior sample paths drawn after training, for plots. */
    private static final int SAMPLE_PATHS = 20;

    private final SdeExperiments.Experiment experiment;

    public SdeComparison(SdeExperiments.Experiment experiment) {
        this.experiment = experiment;
    }

    /** A few iterations of both methods on a throwaway seed, so that neither pays for the JIT in its timings. */
    public void warmUp() {
        run(-1, 10);
    }

    /**
     * The ablation of spec §5: the hybrid with a randomly initialised last layer (it starts away from u_lin), trained
     * with the same settings, noise and hidden-layer initialisation as {@link #run}'s hybrid.
     */
    public TrainCurve runWithoutZeroInit(long seed, int iters) {
        SdeVariationalTrainer.Problem p = experiment.problem();
        LinearControl lin = p.linearControl(experiment.surrogate());
        SdeTrainConfig config = SdeTrainConfig.quick(iters, experiment.lr(), seed);
        return new SdeVariationalTrainer(p, config).train(HybridControl.withoutZeroInit(lin, network(p, config, seed,
                false)),
                experiment.name() + " hybrid without zero init, seed " + seed);
    }

    public Run run(long seed, int iters) {
        SdeVariationalTrainer.Problem p = experiment.problem();
        long start = System.nanoTime();
        LinearControl lin = p.linearControl(experiment.surrogate());
        double filterSeconds = (System.nanoTime() - start) / 1e9;
        double elboStar = experiment.linearPrior()
                ? AnalyticElbo.of(experiment.surrogate(), p.diffusion(), p.obs(), p.grid(), p.x0(), lin.affine())
                : Double.NaN;
        SdeTrainConfig config = SdeTrainConfig.quick(iters, experiment.lr(), seed);
        SdeVariationalTrainer trainer = new SdeVariationalTrainer(p, config);
        // the same initial network for both methods
        HybridControl hybridControl = new HybridControl(lin, network(p, config, seed, true));
        TrainCurve hybrid = trainer.train(hybridControl, experiment.name() + " hybrid seed " + seed);
        NeuralControl nnControl = network(p, config, seed, true);
        TrainCurve nn = trainer.train(nnControl, experiment.name() + " NN-only seed " + seed);
        ElboEstimator estimator = trainer.estimator();
        org.nd4j.linalg.api.ndarray.INDArray[] sampleNoise = estimator.noise(SAMPLE_PATHS, new Rng(seed + 77));
        return new Run(seed, hybrid, nn, filterSeconds, elboStar, lin.logZEuler(),
                estimator.paths(hybridControl, sampleNoise), estimator.paths(nnControl, sampleNoise));
    }

    /** The control network of a seed (hidden layers seeded by seed + 1000), its last layer zero or random. */
    public static NeuralControl network(SdeVariationalTrainer.Problem p, SdeTrainConfig config, long seed,
            boolean zeroLast) {
        return new NeuralControl(p.diffusion().stateDim(), p.diffusion().noiseDim(), config.hidden(), config.layers(),
                p.grid().t(), zeroLast, new Rng(seed + 1000));
    }

    /**
     * ELBO_ref: ELBO*_K for a linear prior, else the best evaluated ELBO any method reached on any seed (E3).
     */
    public static double reference(List<Run> runs) {
        if (!Double.isNaN(runs.get(0).elboStar())) {
            return runs.get(0).elboStar();
        }
        double best = Double.NEGATIVE_INFINITY;
        for (Run r : runs) {
            best = Math.max(best, Math.max(r.hybrid().bestElbo(), r.neuralOnly().bestElbo()));
        }
        return best;
    }

    /** δ = max(0.5, 0.01·|ELBO_ref|): the threshold is ELBO_ref − δ. */
    public static double tolerance(double reference) {
        return Math.max(0.5, 0.01 * Math.abs(reference));
    }
}
