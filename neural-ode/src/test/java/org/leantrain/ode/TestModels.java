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

    /** Spec §6 test 7: ẋ = −k·x with k trainable, exact data e^{−0.7 t} every 0.1 on [0, 2], m = 3, 20 intervals. */
    static CollocationProblem decayRecoveryProblem() {
        double[] times = VanDerPol.grid(0, 2, 0.1);
        double[][] obs = new double[times.length][1];
        for (int d = 0; d < times.length; d++) {
            obs[d][0] = Math.exp(-0.7 * times[d]);
        }
        TrainingData data = new TrainingData(times, obs, new int[] {0}, new double[] {1}, null);
        return new CollocationProblem(decayModel(0.2, true), data, Mesh.uniform(0, 2, 20), 3, 0, true, null,
                java.util.List.of());
    }

    /** States on the true trajectory, x_0 = 1, and the wrong rate k = 0.2. */
    static double[] decayRecoveryStart(CollocationProblem p) {
        double[][] states = new double[p.nodeCount()][1];
        for (int k = 0; k < p.nodeCount(); k++) {
            states[k][0] = Math.exp(-0.7 * p.nodeTime(k));
        }
        return p.pack(states, new double[] {1}, new double[0], new double[] {0.2});
    }

    /** A one-state physics without parameters or network, from its batched and row forms. */
    static PhysicsRhs scalar(java.util.function.UnaryOperator<Tensor> batched,
            java.util.function.DoubleUnaryOperator row) {
        return new PhysicsRhs() {
            public int stateDim() { return 1; }
            public int inputDim() { return 0; }
            public int paramDim() { return 0; }
            public int nnInputDim() { return 0; }
            public int nnOutputDim() { return 0; }

            public Tensor features(Tensor x, Tensor u, Tensor t) {
                return x;
            }

            public Tensor rhs(Tensor x, Tensor u, Tensor t, Tensor phi, Tensor nn) {
                return batched.apply(x);
            }

            public void featuresRow(double[] x, double[] u, double t, double[] out) {}

            public void rhsRow(double[] x, double[] u, double t, double[] phi, double[] nn, double[] out) {
                out[0] = row.applyAsDouble(x[0]);
            }
        };
    }
}
