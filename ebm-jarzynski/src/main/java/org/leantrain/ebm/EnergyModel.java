package org.leantrain.ebm;

import java.util.List;
import org.leantrain.core.tensor.Autograd;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An energy U_θ(x) over flat samples x ∈ R^D; the model density is exp(−U/T)/Z (T lives in {@link UlaConfig}).
 * Implementations supply {@link #energy(Tensor)} on the tape; the defaults derive everything else from it.
 */
public interface EnergyModel {
    /** D, the length of one flat sample. */
    int dimension();

    DataType dataType();

    /** U for a batch [B, D] → [B], recorded on the tape when grad mode is on. */
    Tensor energy(Tensor x);

    /** The trainable parameters θ. */
    List<Tensor> parameters();

    /** U without recording anything. */
    default double[] energies(INDArray x) {
        checkInput(x, "walkers");
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return energy(Tensor.of(x)).value().toDoubleVector();
        }
    }

    /** U and ∇_x U in one energy+gradient pass; parameter gradients are left untouched. */
    default EnergyGrad energyAndGrad(INDArray x) {
        checkInput(x, "walkers");
        Tensor xt = Tensor.of(x).requireGrad(true);
        Tensor u = energy(xt);
        double[] energies = u.value().toDoubleVector();
        INDArray grad = Autograd.grad(u.sum(), xt)[0];
        return new EnergyGrad(energies, grad);
    }

    /**
     * Accumulates into the parameters' grad the gradient of the surrogate loss ({@link EbmLoss}) for a data batch
     * and walkers with normalized weights {@code p}; returns the loss value. Closed-form models may override.
     */
    default double accumulateGradient(INDArray data, INDArray walkers, double[] p, double regAlpha) {
        checkInput(data, "data");
        checkInput(walkers, "walkers");
        Tensor loss = EbmLoss.surrogate(this, data, walkers, p, regAlpha);
        double value = loss.item();
        loss.backward();
        return value;
    }

    /** Rejects a batch that is not [B, D] with D = {@link #dimension()}. */
    default void checkInput(INDArray x, String what) {
        if (x.rank() != 2 || x.size(1) != dimension()) {
            throw new IllegalArgumentException(what + " must have shape [batch, " + dimension() + "] to match the "
                    + "energy model, got " + java.util.Arrays.toString(x.shape()));
        }
    }
}
