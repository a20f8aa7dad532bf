package org.leantrain.ode;

/**
 * Forward simulators on plain doubles: fixed-step RK4 and adaptive Dormand–Prince 5(4) (spec §2.7 coefficients), both
 * landing exactly on every requested output time. Used for data generation, re-simulation metrics and references.
 */
public final class OdeIntegrators {
    private OdeIntegrators() {}

    /** ẋ = f(t, x). */
    public interface Rhs {
        void eval(double t, double[] x, double[] out);
    }

    /** The right-hand side of a model at fixed θ, φ, with input u(t) from the data's input function. */
    public static Rhs of(PeNodeModel model, double[] theta, double[] phi, java.util.function.DoubleFunction<double[]> u) {
        PeNodeModel.RowRhs rhs = model.rowRhs();
        int nu = model.physics().inputDim();
        return (t, x, out) -> rhs.eval(x, nu == 0 ? new double[0] : u.apply(t), t, theta, phi, out);
    }

    static final double[] DP_C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
    static final double[][] DP_A = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
    static final double[] DP_B = {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0};
    static final double[] DP_BHAT = {5179.0 / 57600, 0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200, 187.0 / 2100,
        1.0 / 40};

    /** Fixed-step RK4 from (t0, x0) with steps of at most h, returning x at each output time (≥ t0, increasing). */
    public static double[][] rk4(Rhs f, double t0, double[] x0, double[] outTimes, double h) {
        int nx = x0.length;
        double[][] out = new double[outTimes.length][];
        double t = t0;
        double[] x = x0.clone();
        double[][] k = new double[4][nx];
        double[] tmp = new double[nx];
        for (int o = 0; o < outTimes.length; o++) {
            double target = outTimes[o];
            int steps = (int) Math.ceil((target - t) / h - 1e-9);
            double hs = steps == 0 ? 0 : (target - t) / steps;
            for (int s = 0; s < steps; s++) {
                f.eval(t, x, k[0]);
                axpy(x, hs / 2, k[0], tmp);
                f.eval(t + hs / 2, tmp, k[1]);
                axpy(x, hs / 2, k[1], tmp);
                f.eval(t + hs / 2, tmp, k[2]);
                axpy(x, hs, k[2], tmp);
                f.eval(t + hs, tmp, k[3]);
                for (int d = 0; d < nx; d++) {
                    x[d] += hs / 6 * (k[0][d] + 2 * k[1][d] + 2 * k[2][d] + k[3][d]);
                }
                t = s + 1 == steps ? target : t + hs;
            }
            out[o] = x.clone();
        }
        return out;
    }

    private static void axpy(double[] x, double a, double[] k, double[] out) {
        for (int d = 0; d < x.length; d++) {
            out[d] = x[d] + a * k[d];
        }
    }

    /** Adaptive DOPRI5 with the given tolerances, returning x at each output time. Throws if the step size collapses. */
    public static double[][] dopri5(Rhs f, double t0, double[] x0, double[] outTimes, double rtol, double atol) {
        int nx = x0.length;
        double[][] out = new double[outTimes.length][];
        double[][] k = new double[7][nx];
        double[] stage = new double[nx];
        double[] y5 = new double[nx];
        double t = t0;
        double[] x = x0.clone();
        double tEnd = outTimes.length == 0 ? t0 : outTimes[outTimes.length - 1];
        double h = Math.max(1e-6, 1e-3 * Math.max(tEnd - t0, 1e-3));
        for (int o = 0; o < outTimes.length; o++) {
            double target = outTimes[o];
            while (t < target) {
                boolean last = t + h >= target;
                double hs = last ? target - t : h;
                f.eval(t, x, k[0]);
                for (int s = 1; s < 7; s++) {
                    for (int d = 0; d < nx; d++) {
                        double v = x[d];
                        for (int j = 0; j < s; j++) {
                            v += hs * DP_A[s][j] * k[j][d];
                        }
                        stage[d] = v;
                    }
                    if (s == 6) {
                        System.arraycopy(stage, 0, y5, 0, nx);
                    }
                    f.eval(t + DP_C[s] * hs, stage, k[s]);
                }
                double err = 0;
                for (int d = 0; d < nx; d++) {
                    double e = 0;
                    for (int s = 0; s < 7; s++) {
                        e += hs * (DP_B[s] - DP_BHAT[s]) * k[s][d];
                    }
                    double sc = atol + rtol * Math.max(Math.abs(x[d]), Math.abs(y5[d]));
                    err += (e / sc) * (e / sc);
                }
                err = Math.sqrt(err / nx);
                if (!Double.isFinite(err)) {
                    err = 1e10;
                }
                if (err <= 1) {
                    t = last ? target : t + hs;
                    System.arraycopy(y5, 0, x, 0, nx);
                }
                double factor = Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(err, 1e-16), -0.2)));
                h = hs * factor;
                if (h < 1e-12 * Math.max(1, Math.abs(t))) {
                    throw new ArithmeticException("DOPRI5 step size collapsed at t = " + t + " (x = "
                            + java.util.Arrays.toString(x) + "): the trajectory blows up or the system is too stiff");
                }
            }
            out[o] = x.clone();
        }
        return out;
    }
}
