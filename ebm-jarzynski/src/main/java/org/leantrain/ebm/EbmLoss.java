package org.leantrain.ebm;

import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The surrogate loss whose θ-gradient is T·∇_θ H (spec §2, Estimators):
 * {@code L = mean_j U(x_j) − Σ_i p_i U(X_i) + α (mean_j U(x_j)² + Σ_i p_i U(X_i)²)}, walkers X and weights p detached.
 */
public final class EbmLoss {
    private EbmLoss() {}

    public static Tensor surrogate(EnergyModel model, INDArray data, INDArray walkers, double[] p, double regAlpha) {
        if (p.length != walkers.size(0)) {
            throw new IllegalArgumentException("weights: " + p.length + " weights for " + walkers.size(0) + " walkers");
        }
        Tensor dataEnergy = model.energy(Tensor.of(data));
        Tensor walkerEnergy = model.energy(Tensor.of(walkers));
        Tensor weights = Tensor.of(Nd4j.createFromArray(p).castTo(walkerEnergy.dataType()));
        Tensor loss = dataEnergy.mean().sub(walkerEnergy.mul(weights).sum());
        if (regAlpha > 0) {
            loss = loss.add(dataEnergy.square().mean().add(walkerEnergy.square().mul(weights).sum()).mul(regAlpha));
        }
        return loss;
    }
}
