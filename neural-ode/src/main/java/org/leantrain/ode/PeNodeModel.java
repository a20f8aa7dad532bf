package org.leantrain.ode;

import java.util.Arrays;

/**
 * A physics-enhanced neural ODE: the user's physics, the network placed in it (null for a pure parameter estimation
 * problem), the physical parameters φ with which of them are trained, and the state scaling.
 */
public record PeNodeModel(PhysicsRhs physics, TanhMlp net, double[] phiInit, boolean[] phiTrainable, Scaling scaling) {
    public PeNodeModel {
        int ny = physics.nnOutputDim();
        if (net == null && ny != 0) {
            throw new IllegalArgumentException("the physics places a network with " + ny + " outputs, but no network"
                    + " was given");
        }
        if (net != null && (net.outputDim() != ny || net.inputDim() != physics.nnInputDim())) {
            throw new IllegalArgumentException("network " + net.inputDim() + "→" + net.outputDim()
                    + " does not match the physics, which expects nnInputDim=" + physics.nnInputDim()
                    + " and nnOutDim=" + ny);
        }
        if (phiInit.length != physics.paramDim() || phiTrainable.length != physics.paramDim()) {
            throw new IllegalArgumentException("the physics has " + physics.paramDim() + " parameters, but phiInit has "
                    + phiInit.length + " and phiTrainable " + phiTrainable.length);
        }
        if (scaling.state().length != physics.stateDim()) {
            throw new IllegalArgumentException("scaling has " + scaling.state().length + " states, the physics "
                    + physics.stateDim());
        }
        for (double v : phiInit) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("phiInit holds " + v + "; give finite physical parameters");
            }
        }
        phiInit = phiInit.clone();
        phiTrainable = phiTrainable.clone();
    }

    public static PeNodeModel of(PhysicsRhs physics, TanhMlp net, Scaling scaling) {
        return new PeNodeModel(physics, net, new double[physics.paramDim()], new boolean[physics.paramDim()], scaling);
    }

    public int stateDim() {
        return physics.stateDim();
    }

    public int thetaDim() {
        return net == null ? 0 : net.paramCount();
    }

    public int trainablePhiCount() {
        int k = 0;
        for (boolean b : phiTrainable) {
            k += b ? 1 : 0;
        }
        return k;
    }

    /** A single-row evaluator of f with its own scratch buffers (not thread-safe). */
    public RowRhs rowRhs() {
        return new RowRhs();
    }

    public final class RowRhs {
        private final double[] z = new double[Math.max(1, physics.nnInputDim())];
        private final double[] y = new double[Math.max(1, physics.nnOutputDim())];
        private final double[][] act = net == null ? null : net.newActivations();

        /** out = f(x, u, t, φ, N_θ(z(x, u, t))). */
        public void eval(double[] x, double[] u, double t, double[] theta, double[] phi, double[] out) {
            if (net != null) {
                physics.featuresRow(x, u, t, z);
                net.forwardRow(theta, z, act, y);
            }
            physics.rhsRow(x, u, t, phi, net == null ? null : y, out);
        }

        /** The network output at x (valid after {@link #eval}; zeros without a network). */
        public double[] lastNetworkOutput() {
            return net == null ? new double[0] : Arrays.copyOf(y, physics.nnOutputDim());
        }
    }
}
