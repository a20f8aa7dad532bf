package org.leantrain.ode;

import org.leantrain.core.tensor.Tensor;

/**
 * The physics of a PeN-ODE ẋ = f(x, u(t), t, φ, N_θ(z(x, u, t))), written twice: on row batches of core tensors
 * (differentiated by the autograd for exact per-node Jacobians) and on one row of doubles (the fast path of forward
 * simulation and of merit evaluations). {@link PeNodeModel} checks at construction that the two agree.
 *
 * <p>Batched arguments: x [N, nx], u [N, max(nu, 1)] (zeros when the model has no input), t [N, 1],
 * phi [N, max(nφ, 1)] (identical rows), nn [N, ny] (null when the model has no network).
 */
public interface PhysicsRhs {
    int stateDim();

    int inputDim();

    int paramDim();

    /** Width of the network's input features z; 0 when the model has no network. */
    int nnInputDim();

    /** Width of the network's output; 0 when the model has no network. */
    int nnOutputDim();

    Tensor features(Tensor x, Tensor u, Tensor t);

    Tensor rhs(Tensor x, Tensor u, Tensor t, Tensor phi, Tensor nn);

    void featuresRow(double[] x, double[] u, double t, double[] out);

    void rhsRow(double[] x, double[] u, double t, double[] phi, double[] nn, double[] out);
}
