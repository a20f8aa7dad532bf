package org.leantrain.ebm;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Persistent walkers with exact Jarzynski log-weights (spec §3): the weighted population represents the current
 * model after every update, for any step size. Optionally a tracking subset that moves and is reweighted like the
 * others but never enters the gradient; log Ẑ is read from it (each subset is resampled separately).
 */
public final class JarzynskiSampler implements Sampler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JarzynskiSampler.class);
    private final WeightScheme scheme;
    private final UlaKernel kernel;
    private final WalkerConfig walkers;
    private final ResamplingConfig resampling;
    private final double logZ0;
    private final WalkerPopulation training;
    private final WalkerPopulation tracking;
    private long updates;
    private int resamplings;
    private boolean resampledLast;
    private long gradPasses;
    private long energyPasses;

    /**
     * @param model   the energy at θ_0
     * @param initial N exact samples of ρ_{θ_0} (the first N(1−φ) train, the rest track)
     * @param logZ0   log Z_{θ_0}, exact where known
     */
    public JarzynskiSampler(EnergyModel model, INDArray initial, double logZ0, WeightScheme scheme, UlaConfig ula,
                            WalkerConfig walkers, ResamplingConfig resampling) {
        model.checkInput(initial, "initial walkers");
        Walkers.checkFinite(initial, "initial walkers");
        if (initial.size(0) != walkers.numWalkers()) {
            throw new IllegalArgumentException("initial walkers: " + initial.size(0) + " rows for numWalkers="
                    + walkers.numWalkers());
        }
        if (scheme == WeightScheme.PAPER && (walkers.stepsPerUpdate() != 1 || walkers.miniBatches() != 1
                || walkers.miniBatchSize() != walkers.numWalkers())) {
            throw new IllegalArgumentException("PAPER ordering moves every walker one step per update; use "
                    + "WalkerConfig.paper(N) or REWEIGHT_THEN_MOVE for several steps or mini-batches, got " + walkers);
        }
        if (!Double.isFinite(logZ0)) {
            throw new IllegalArgumentException("logZ0 must be finite, got " + logZ0);
        }
        this.scheme = scheme;
        this.kernel = new UlaKernel(ula);
        this.walkers = walkers;
        this.resampling = resampling;
        this.logZ0 = logZ0;
        int nTrain = walkers.trainingWalkers();
        INDArray trainX = initial.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, nTrain)).dup();
        this.training = new WalkerPopulation(trainX, cache(model, trainX));
        if (walkers.trackingWalkers() > 0) {
            INDArray trackX = initial.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(nTrain,
                    walkers.numWalkers())).dup();
            this.tracking = new WalkerPopulation(trackX, cache(model, trackX));
        } else {
            this.tracking = null;
        }
    }

    private EnergyGrad cache(EnergyModel model, INDArray x) {
        if (scheme == WeightScheme.PAPER) {
            gradPasses += x.size(0);
            return Walkers.energyAndGrad(model, x, 0);
        }
        energyPasses += x.size(0);
        return new EnergyGrad(Walkers.energies(model, x, 0), null);
    }

    @Override
    public INDArray lossWalkers() {
        return training.positions;
    }

    @Override
    public double[] lossWeights() {
        return training.normalizedWeights();
    }

    @Override
    public void prepare(EnergyModel model, INDArray dataBatch, Rng rng) {}

    @Override
    public void afterParameterUpdate(EnergyModel model, Rng rng) {
        updates++;
        resampledLast = false;
        for (WalkerPopulation pop : populations()) {
            if (scheme == WeightScheme.PAPER) {
                paperStep(pop, model, rng);
            } else {
                reweight(pop, model);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("update {}: ESS/N after reweighting {}", updates, LogWeights.ess(pop.logWeights) / pop.size());
                }
                advance(pop, model, rng);
            }
            pop.weightsChanged();
            LOG.debug("update {}: ESS/N after moves {}", updates, pop.ess() / pop.size());
            pop.checkFinite("Jarzynski walkers", updates);
            if (resampling.essThreshold() > 0 && updates >= resampling.warmupUpdates()
                    && pop.ess() < resampling.essThreshold() * pop.size()) {
                pop.resample(resampling.scheme().indices(pop.normalizedWeights(), rng));
                if (pop == training) {
                    resamplings++;
                    resampledLast = true;
                }
            }
        }
    }

    /**
     * Paper ordering, steps 2–5 of spec §3: Y from the cached g_k(X), then U_{k+1}(Y), g_{k+1}(Y) in one pass;
     * A += [U_k(X) − U_{k+1}(Y)]/T + log q_{k+1}(Y→X) − log q_k(X→Y). The new pass is the next update's cache.
     */
    private void paperStep(WalkerPopulation pop, EnergyModel model, Rng rng) {
        UlaKernel.Move move = kernel.step(pop.positions, pop.grads, rng);
        EnergyGrad next = Walkers.energyAndGrad(model, move.y(), updates);
        gradPasses += pop.size();
        double[] ratio = kernel.logKernelRatio(move.xi(), pop.grads, next.grad());
        double t = kernel.config().temperature();
        for (int i = 0; i < pop.size(); i++) {
            pop.logWeights[i] += (pop.energies[i] - next.energy()[i]) / t + ratio[i];
        }
        pop.positions = move.y();
        pop.energies = next.energy();
        pop.grads = next.grad();
    }

    /** Move (a) for every walker: A += [U_θ(x) − U_θ'(x)]/T; the cache now holds U_θ'. */
    private void reweight(WalkerPopulation pop, EnergyModel model) {
        double[] fresh = Walkers.energies(model, pop.positions, updates);
        energyPasses += pop.size();
        double t = kernel.config().temperature();
        for (int i = 0; i < pop.size(); i++) {
            pop.logWeights[i] += (pop.energies[i] - fresh[i]) / t;
        }
        pop.energies = fresh;
        pop.grads = null; // gradients of the old θ are stale
    }

    /** m mini-batches of b walkers, K moves (b) each, carrying (U, g) of the current point from step to step. */
    private void advance(WalkerPopulation pop, EnergyModel model, Rng rng) {
        int b = Math.min(walkers.miniBatchSize(), pop.size());
        double t = kernel.config().temperature();
        for (int batch = 0; batch < walkers.miniBatches(); batch++) {
            int[] idx = Walkers.choose(pop.size(), b, rng);
            INDArray x = Walkers.rows(pop.positions, idx);
            EnergyGrad current = Walkers.energyAndGrad(model, x, updates);
            gradPasses += b;
            double[] deltaA = new double[b];
            for (int k = 0; k < walkers.stepsPerUpdate(); k++) {
                UlaKernel.Move move = kernel.step(x, current.grad(), rng);
                EnergyGrad next = Walkers.energyAndGrad(model, move.y(), updates);
                gradPasses += b;
                double[] ratio = kernel.logKernelRatio(move.xi(), current.grad(), next.grad());
                for (int j = 0; j < b; j++) {
                    deltaA[j] += (current.energy()[j] - next.energy()[j]) / t + ratio[j];
                }
                x = move.y();
                current = next;
            }
            pop.positions = Walkers.replaceRows(pop.positions, idx, x);
            for (int j = 0; j < b; j++) {
                pop.logWeights[idx[j]] += deltaA[j];
                pop.energies[idx[j]] = current.energy()[j];
            }
        }
    }

    private List<WalkerPopulation> populations() {
        List<WalkerPopulation> list = new ArrayList<>(2);
        list.add(training);
        if (tracking != null) {
            list.add(tracking);
        }
        return list;
    }

    @Override
    public void persist() {
        for (WalkerPopulation pop : populations()) {
            pop.positions = Walkers.keep(pop.positions);
            pop.grads = Walkers.keep(pop.grads);
        }
    }

    /** log Ẑ from the tracking subset when there is one, else from the training walkers. */
    @Override
    public double logZEstimate() {
        return (tracking != null ? tracking : training).logZEstimate(logZ0);
    }

    @Override
    public double ess() {
        return training.ess();
    }

    @Override
    public int resamplings() {
        return resamplings;
    }

    @Override
    public boolean resampledLastUpdate() {
        return resampledLast;
    }

    @Override
    public long[] walkerPasses() {
        return new long[] {gradPasses, energyPasses};
    }

    public WalkerPopulation training() {
        return training;
    }

    /** The tracking subset, or null without one. */
    public WalkerPopulation tracking() {
        return tracking;
    }
}
