package org.leantrain.ebm;

import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code U_θ(x) = head(body(x)) + C(x)}: a user network ({@code body}: [B, D] → [B, F]) with a linear head that starts
 * at zero, plus a fixed {@link Confinement}. At θ_0 the model is exp(−C/T)/Z_0, which {@link #sampleInitial} draws
 * exactly and {@link #logZ0} knows, so the Jarzynski walkers need no burn-in.
 */
public final class ConfinedNeuralEnergy extends Module implements EnergyModel {
    private final Module body;
    private final Linear head;
    private final Confinement confinement;
    private final int dim;
    private final DataType type;

    public ConfinedNeuralEnergy(Module body, int featureDim, int dim, Confinement confinement, DataType type,
                                Rng rng) {
        if (dim < 1 || featureDim < 1) {
            throw new IllegalArgumentException("dim and featureDim must be >= 1, got " + dim + ", " + featureDim);
        }
        this.body = child("body", body);
        this.head = child("head", new Linear(featureDim, 1, true, type, rng));
        head.weight().value().assign(0); // zero-init: U_θ0 = C exactly
        head.bias().value().assign(0);
        this.confinement = confinement;
        this.dim = dim;
        this.type = type;
    }

    @Override
    protected Tensor compute(Tensor x) {
        checkInput(x.value(), "energy input");
        Tensor network = head.forward(body.forward(x)).reshape(-1);
        return network.add(confinement.energy(x));
    }

    @Override
    public Tensor energy(Tensor x) {
        return forward(x);
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public DataType dataType() {
        return type;
    }

    public Confinement confinement() {
        return confinement;
    }

    /** n exact samples of the initial model ρ_{θ_0} ∝ exp(−C/T). */
    public INDArray sampleInitial(int n, double temperature, Rng rng) {
        return confinement.sample(n, dim, temperature, type, rng);
    }

    /** log Z_{θ_0}, exact. */
    public double logZ0(double temperature) {
        return confinement.logZ0(dim, temperature);
    }
}
