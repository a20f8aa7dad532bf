package org.leantrain.ebm;

import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Persistent contrastive divergence: the same walkers, kernel and move pattern as {@link JarzynskiSampler}, but
 * uniform weights and no resampling, so the population lags behind the moving model (the baseline of spec §5).
 */
public final class PcdSampler implements Sampler {
    private final WeightScheme scheme;
    private final UlaKernel kernel;
    private final WalkerConfig walkers;
    private INDArray positions;
    private INDArray grads;
    private long updates;
    private long gradPasses;

    public PcdSampler(EnergyModel model, INDArray initial, WeightScheme scheme, UlaConfig ula, WalkerConfig walkers) {
        model.checkInput(initial, "initial walkers");
        Walkers.checkFinite(initial, "initial walkers");
        this.scheme = scheme;
        this.kernel = new UlaKernel(ula);
        this.walkers = walkers;
        this.positions = initial.dup();
        if (scheme == WeightScheme.PAPER) {
            this.grads = Walkers.energyAndGrad(model, positions, 0).grad();
            gradPasses += positions.size(0);
        }
    }

    @Override
    public INDArray lossWalkers() {
        return positions;
    }

    @Override
    public double[] lossWeights() {
        return LogWeights.uniform((int) positions.size(0));
    }

    @Override
    public void prepare(EnergyModel model, INDArray dataBatch, Rng rng) {}

    @Override
    public void afterParameterUpdate(EnergyModel model, Rng rng) {
        updates++;
        if (scheme == WeightScheme.PAPER) {
            // drift from the gradient cached at the previous update, as the Jarzynski walkers do
            positions = kernel.step(positions, grads, rng).y();
            grads = Walkers.energyAndGrad(model, positions, updates).grad();
            gradPasses += positions.size(0);
            return;
        }
        int n = (int) positions.size(0);
        for (int batch = 0; batch < walkers.miniBatches(); batch++) {
            int[] idx = Walkers.choose(n, walkers.miniBatchSize(), rng);
            INDArray x = Walkers.rows(positions, idx);
            for (int k = 0; k < walkers.stepsPerUpdate(); k++) {
                x = kernel.step(x, Walkers.energyAndGrad(model, x, updates).grad(), rng).y();
                gradPasses += idx.length;
            }
            positions = Walkers.replaceRows(positions, idx, x);
        }
    }

    @Override
    public void persist() {
        positions = Walkers.keep(positions);
        grads = Walkers.keep(grads);
    }

    @Override
    public long[] walkerPasses() {
        return new long[] {gradPasses, 0};
    }
}
