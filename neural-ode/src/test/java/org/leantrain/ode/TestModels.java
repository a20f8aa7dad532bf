package org.leantrain.ode;

import org.leantrain.core.tensor.Tensor;

/** Small models for the reference tests. */
final class TestModels {
    private TestModels() {}

    /** ẋ = −k·x (one state), k = φ_0; no network. */
    static PhysicsRhs decay() {
        return new PhysicsRhs() {
            public int stateDim() { return 1; }
            public int inputDim() { return 0; }
            public int paramDim() { return 1; }
            public int nnInputDim() { return 0; }
            public int nnOutputDim() { return 0; }

            public Tensor features(Tensor x, Tensor u, Tensor t) {
                return x;
            }

            public Tensor rhs(Tensor x, Tensor u, Tensor t, Tensor phi, Tensor nn) {
                return x.mul(phi).neg();
            }

            public void featuresRow(double[] x, double[] u, double t, double[] out) {}

            public void rhsRow(double[] x, double[] u, double t, double[] phi, double[] nn, double[] out) {
                out[0] = -phi[0] * x[0];
            }
        };
    }

    static PeNodeModel decayModel(double k, boolean trainable) {
        return new PeNodeModel(decay(), null, new double[] {k}, new boolean[] {trainable}, Scaling.unit(1));
    }

    /** Van der Pol with μ = φ_0 written entirely as physics (no network). */
    static PhysicsRhs vanDerPolPhysics() {
        return new PhysicsRhs() {
            public int stateDim() { return 2; }
            public int inputDim() { return 0; }
            public int paramDim() { return 1; }
            public int nnInputDim() { return 0; }
            public int nnOutputDim() { return 0; }

            public Tensor features(Tensor x, Tensor u, Tensor t) {
                return x;
            }

            public Tensor rhs(Tensor x, Tensor u, Tensor t, Tensor phi, Tensor nn) {
                Tensor x1 = x.slice(1, 0, 1);
                Tensor x2 = x.slice(1, 1, 2);
                Tensor damping = x1.square().rsub(1).mul(x2).mul(phi);
                return Tensor.concat(1, x2, damping.sub(x1));
            }

            public void featuresRow(double[] x, double[] u, double t, double[] out) {}

            public void rhsRow(double[] x, double[] u, double t, double[] phi, double[] nn, double[] out) {
                out[0] = x[1];
                out[1] = phi[0] * (1 - x[0] * x[0]) * x[1] - x[0];
            }
        };
    }
}
