package org.leantrain.ebm;

import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Supplies the walkers and weights of the model term of the gradient and moves them between updates. */
public interface Sampler {
    /** Walkers X of the model term, under the current θ. */
    INDArray lossWalkers();

    /** Their normalized weights p (sum 1). */
    double[] lossWeights();

    /** Called before the loss of an update, with that update's data batch (CD restarts its chains here). */
    void prepare(EnergyModel model, INDArray dataBatch, Rng rng);

    /** Called after the optimizer step θ_k → θ_{k+1}. */
    void afterParameterUpdate(EnergyModel model, Rng rng);

    /**
     * Copies the arrays the sampler keeps across updates (positions, cached gradients) into ordinary memory; the
     * trainer calls it at the end of each update, whose temporaries live in a recycled {@code StepMemory}.
     */
    void persist();

    /** log Ẑ of the current model, NaN when the method has none. */
    default double logZEstimate() {
        return Double.NaN;
    }

    /** ESS of the loss walkers' weights. */
    default double ess() {
        return lossWalkers().size(0);
    }

    default int resamplings() {
        return 0;
    }

    /** Whether the last {@link #afterParameterUpdate} resampled. */
    default boolean resampledLastUpdate() {
        return false;
    }

    /** Energy+gradient and energy-only passes so far, in walker evaluations (for the cost accounting of spec §8). */
    default long[] walkerPasses() {
        return new long[] {0, 0};
    }
}
