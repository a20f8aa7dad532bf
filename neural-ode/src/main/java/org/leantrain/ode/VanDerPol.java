package org.leantrain.ode;

import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;

/**
 * Experiment E1: the Van der Pol oscillator ẋ1 = x2, ẋ2 = μ(1 − x1²)x2 − x1 (μ = 1, x(0) = (0, 1)), learned as the
 * PeN-ODE ẋ1 = x2, ẋ2 = −x1 + N_θ(x1, x2), whose true network term is μ(1 − x1²)x2.
 */
public final class VanDerPol {
    public static final double MU = 1.0;
    public static final double[] X0 = {0, 1};

    private VanDerPol() {}

    /** The PeN-ODE physics with the network term in ẋ2. */
    public static PhysicsRhs physics() {
        return new PhysicsRhs() {
            public int stateDim() { return 2; }
            public int inputDim() { return 0; }
            public int paramDim() { return 0; }
            public int nnInputDim() { return 2; }
            public int nnOutputDim() { return 1; }

            public Tensor features(Tensor x, Tensor u, Tensor t) {
                return x;
            }

            public Tensor rhs(Tensor x, Tensor u, Tensor t, Tensor phi, Tensor nn) {
                Tensor x1 = x.slice(1, 0, 1);
                Tensor x2 = x.slice(1, 1, 2);
                return Tensor.concat(1, x2, nn.sub(x1));
            }

            public void featuresRow(double[] x, double[] u, double t, double[] out) {
                out[0] = x[0];
                out[1] = x[1];
            }

            public void rhsRow(double[] x, double[] u, double t, double[] phi, double[] nn, double[] out) {
                out[0] = x[1];
                out[1] = -x[0] + nn[0];
            }
        };
    }

    public static PeNodeModel model(int... hidden) {
        int[] widths = new int[hidden.length + 2];
        widths[0] = 2;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = 1;
        return PeNodeModel.of(physics(), new TanhMlp(widths), Scaling.unit(2));
    }

    /** The true system. */
    public static OdeIntegrators.Rhs truth() {
        return (t, x, out) -> {
            out[0] = x[1];
            out[1] = MU * (1 - x[0] * x[0]) * x[1] - x[0];
        };
    }

    /** The true network term μ(1 − x1²)x2. */
    public static double trueTerm(double x1, double x2) {
        return MU * (1 - x1 * x1) * x2;
    }

    public static double[] grid(double t0, double tf, double dt) {
        int n = (int) Math.round((tf - t0) / dt);
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            t[i] = t0 + i * dt;
        }
        return t;
    }

    /** Clean states of the true system at the given times (DOPRI5, rtol 1e-12). */
    public static double[][] simulate(double[] x0, double t0, double[] times) {
        return OdeIntegrators.dopri5(truth(), t0, x0, times, 1e-12, 1e-12);
    }

    /** Both states every 0.1 on [0, tf] with iid N(0, noise²), as E1's training data. */
    public static TrainingData data(double tf, double noise, long seed) {
        double[] times = grid(0, tf, 0.1);
        double[][] clean = simulate(X0, 0, times);
        Rng rng = new Rng(seed);
        double[][] obs = new double[times.length][2];
        for (int d = 0; d < times.length; d++) {
            for (int k = 0; k < 2; k++) {
                obs[d][k] = clean[d][k] + noise * rng.nextGaussian();
            }
        }
        return new TrainingData(times, obs, new int[] {0, 1}, new double[] {1, 1}, null);
    }
}
