package org.leantrain.ode;

import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;

/**
 * Experiment E2: a quarter-vehicle with states (z_b, ż_b, z_w, ż_w), road input z_r(t) and a learned damper
 * F_d ≈ 1000·N_θ(v/0.5) with v = ż_b − ż_w:
 * m_b z̈_b = −k_s(z_b − z_w) − F_d,  m_w z̈_w = k_s(z_b − z_w) + F_d − k_t(z_w − z_r).
 * φ = (m_b, m_w, k_s, k_t) = (300 kg, 40 kg, 2e4 N/m, 2e5 N/m), known. The true damper is
 * F_d(v) = (c_c + (c_r − c_c)(1 + tanh(v/v_s))/2)·v with c_c = 1000, c_r = 2000 N·s/m, v_s = 0.05 m/s.
 */
public final class QuarterVehicle {
    public static final double[] PHI = {300, 40, 2.0e4, 2.0e5};
    public static final double FORCE_SCALE = 1000;
    public static final double VELOCITY_SCALE = 0.5;
    public static final double[] STATE_SCALE = {0.05, 0.3, 0.05, 1.0};
    public static final double[] FREQUENCIES = {0.5, 1.1, 2.3, 4.7, 9.1, 13.3};
    public static final double[] TRAIN_PHASES = {0, 1.3, 2.1, 0.4, 5.2, 3.3};
    public static final double[] TEST_PHASES = {2.0, 0.3, 4.4, 1.7, 0.9, 5.9};
    public static final double NOISE = 2e-4;

    private QuarterVehicle() {}

    public static double trueDamper(double v) {
        double cc = 1000;
        double cr = 2000;
        double vs = 0.05;
        return (cc + (cr - cc) * (1 + Math.tanh(v / vs)) / 2) * v;
    }

    /** z_r(t) = Σ A_k sin(2π f_k t + ψ_k) with A_k = 0.01/√f_k. */
    public static double road(double t, double[] phases) {
        double z = 0;
        for (int k = 0; k < FREQUENCIES.length; k++) {
            z += 0.01 / Math.sqrt(FREQUENCIES[k]) * Math.sin(2 * Math.PI * FREQUENCIES[k] * t + phases[k]);
        }
        return z;
    }

    public static PhysicsRhs physics() {
        return new PhysicsRhs() {
            public int stateDim() { return 4; }
            public int inputDim() { return 1; }
            public int paramDim() { return 4; }
            public int nnInputDim() { return 1; }
            public int nnOutputDim() { return 1; }

            public Tensor features(Tensor x, Tensor u, Tensor t) {
                return x.slice(1, 1, 2).sub(x.slice(1, 3, 4)).div(VELOCITY_SCALE);
            }

            public Tensor rhs(Tensor x, Tensor u, Tensor t, Tensor phi, Tensor nn) {
                Tensor zb = x.slice(1, 0, 1);
                Tensor zw = x.slice(1, 2, 3);
                Tensor spring = zb.sub(zw).mul(phi.slice(1, 2, 3));
                Tensor force = spring.add(nn.mul(FORCE_SCALE));
                Tensor tyre = zw.sub(u).mul(phi.slice(1, 3, 4));
                Tensor ab = force.neg().div(phi.slice(1, 0, 1));
                Tensor aw = force.sub(tyre).div(phi.slice(1, 1, 2));
                return Tensor.concat(1, x.slice(1, 1, 2), ab, x.slice(1, 3, 4), aw);
            }

            public void featuresRow(double[] x, double[] u, double t, double[] out) {
                out[0] = (x[1] - x[3]) / VELOCITY_SCALE;
            }

            public void rhsRow(double[] x, double[] u, double t, double[] phi, double[] nn, double[] out) {
                double force = phi[2] * (x[0] - x[2]) + FORCE_SCALE * nn[0];
                out[0] = x[1];
                out[1] = -force / phi[0];
                out[2] = x[3];
                out[3] = (force - phi[3] * (x[2] - u[0])) / phi[1];
            }
        };
    }

    public static PeNodeModel model(int... hidden) {
        int[] widths = new int[hidden.length + 2];
        widths[0] = 1;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = 1;
        return new PeNodeModel(physics(), new TanhMlp(widths), PHI, new boolean[4], new Scaling(STATE_SCALE));
    }

    /** The true system driven by the road with the given phases. */
    public static OdeIntegrators.Rhs truth(double[] phases) {
        return (t, x, out) -> {
            double force = PHI[2] * (x[0] - x[2]) + trueDamper(x[1] - x[3]);
            out[0] = x[1];
            out[1] = -force / PHI[0];
            out[2] = x[3];
            out[3] = (force - PHI[3] * (x[2] - road(t, phases))) / PHI[1];
        };
    }

    /** Clean states from rest at the given times. */
    public static double[][] simulate(double[] phases, double[] times) {
        return OdeIntegrators.dopri5(truth(phases), 0, new double[4], times, 1e-10, 1e-12);
    }

    /** z_b and z_w at 100 Hz on [0, tf] with N(0, (2e-4 m)²) noise; residuals are scaled by 0.01 m. */
    public static TrainingData data(double tf, long seed) {
        double[] times = VanDerPol.grid(0, tf, 0.01);
        double[][] clean = simulate(TRAIN_PHASES, times);
        Rng rng = new Rng(seed);
        double[][] obs = new double[times.length][2];
        for (int d = 0; d < times.length; d++) {
            obs[d][0] = clean[d][0] + NOISE * rng.nextGaussian();
            obs[d][1] = clean[d][2] + NOISE * rng.nextGaussian();
        }
        double w = 1 / (0.01 * 0.01);
        return new TrainingData(times, obs, new int[] {0, 2}, new double[] {w, w},
                t -> new double[] {road(t, TRAIN_PHASES)});
    }

    /** The damper dissipates: v·N(v/0.5) ≥ 0 at every node. */
    public static PathConstraint dissipation() {
        return new PathConstraint("damper dissipates (v·N ≥ 0)",
                (x, y) -> x.slice(1, 1, 2).sub(x.slice(1, 3, 4)).mul(y),
                (x, y) -> (x[1] - x[3]) * y[0], 0, Double.POSITIVE_INFINITY);
    }
}
