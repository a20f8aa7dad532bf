package org.leantrain.ebm;

import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Contrastive divergence CD-k: every {@code restartEvery} updates the N chains restart at random points of the
 * data batch; each update they take k ULA steps under the current θ before the loss (uniform weights).
 * {@code restartEvery = 1} is classic CD-k; the authors' GMM variant is k = 1, restart every 4 updates.
 */
public final class CdSampler implements Sampler {
    private final UlaKernel kernel;
    private final int numWalkers;
    private final int steps;
    private final int restartEvery;
    private INDArray positions;
    private long updates;
    private long gradPasses;

    public CdSampler(UlaConfig ula, int numWalkers, int steps, int restartEvery) {
        if (numWalkers < 1) {
            throw new IllegalArgumentException("numWalkers must be >= 1, got " + numWalkers);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("cdSteps k must be >= 1, got " + steps);
        }
        if (restartEvery < 1) {
            throw new IllegalArgumentException("cdRestartEvery must be >= 1, got " + restartEvery);
        }
        this.kernel = new UlaKernel(ula);
        this.numWalkers = numWalkers;
        this.steps = steps;
        this.restartEvery = restartEvery;
    }

    @Override
    public INDArray lossWalkers() {
        if (positions == null) {
            throw new IllegalStateException("CD walkers exist only after prepare() saw a data batch");
        }
        return positions;
    }

    @Override
    public double[] lossWeights() {
        return LogWeights.uniform(numWalkers);
    }

    @Override
    public void prepare(EnergyModel model, INDArray dataBatch, Rng rng) {
        if (updates % restartEvery == 0) {
            positions = Walkers.randomRows(dataBatch, numWalkers, rng);
        }
        for (int k = 0; k < steps; k++) {
            positions = kernel.step(positions, Walkers.energyAndGrad(model, positions, updates).grad(), rng).y();
            gradPasses += numWalkers;
        }
    }

    @Override
    public void afterParameterUpdate(EnergyModel model, Rng rng) {
        updates++;
    }

    @Override
    public void persist() {
        positions = Walkers.keep(positions);
    }

    @Override
    public long[] walkerPasses() {
        return new long[] {gradPasses, 0};
    }
}
