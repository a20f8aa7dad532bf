package org.leantrain.ode;

import java.util.ArrayList;
import java.util.List;

/**
 * Discretise-then-optimise gradients through an explicit Runge–Kutta solver (RK4 with a fixed step, or DOPRI5 whose
 * step sizes are chosen in the forward pass and then held fixed): the exact reverse-mode derivative of the discrete
 * solution. The forward pass runs on doubles and records every stage state; the reverse pass takes ∂f/∂x and ∂f/∂θ
 * at all stage states from one batched {@link NodeJacobians} call (the autograd) and sweeps the RK stages backwards —
 * the same numbers as recording every stage on the tape (tested against {@code Rk4Tape}) without one tape op per
 * stage.
 */
final class ExplicitRkBackprop {
    private ExplicitRkBackprop() {}

    static final double[][] RK4_A = {{}, {0.5}, {0, 0.5}, {0, 0, 1}};
    static final double[] RK4_B = {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6};
    static final double[] RK4_C = {0, 0.5, 0.5, 1};
    static final double[] DP_B6 = {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84};

    /** F, ∂F/∂θ, ∂F/∂x_0 and evaluation counts; F is NaN when the simulation left the finite numbers. */
    record Value(double f, double[] gradTheta, double[] gradX0, long rhsEvals, long vjpEvals) {}

    /** One accepted step: start time, step size, stage states. */
    private record Step(double t, double h, double[][] stages, int dataIndex) {}

    static Value rk4(PeNodeModel model, TrajectoryLoss loss, double[] theta, double[] phi, double[] x0, double h) {
        return run(model, loss, theta, phi, x0, RK4_A, RK4_B, RK4_C, h, false, 0, 0);
    }

    static Value dopri5(PeNodeModel model, TrajectoryLoss loss, double[] theta, double[] phi, double[] x0,
            double rtol, double atol) {
        double[][] a = new double[6][];
        for (int s = 0; s < 6; s++) {
            a[s] = OdeIntegrators.DP_A[s];
        }
        double[] c = java.util.Arrays.copyOf(OdeIntegrators.DP_C, 6);
        return run(model, loss, theta, phi, x0, a, DP_B6, c, 0, true, rtol, atol);
    }

    private static Value run(PeNodeModel model, TrajectoryLoss loss, double[] theta, double[] phi, double[] x0,
            double[][] a, double[] b, double[] c, double h, boolean adaptive, double rtol, double atol) {
        TrainingData data = loss.data();
        int nx = model.stateDim();
        int nu = model.physics().inputDim();
        PeNodeModel.RowRhs rhs = model.rowRhs();
        double[] times = data.times();
        List<Step> steps = new ArrayList<>();
        double f = loss.regularisation(theta, null);
        int stagesPerStep = b.length;
        double[][] k = new double[Math.max(stagesPerStep, 7)][nx];
        double[] x = x0.clone();
        double t = times[0];
        long rhsEvals = 0;
        f += loss.dataTerm(0, x, null); // the simulation starts at the first data time
        double hAdaptive = 1e-3 * (times[times.length - 1] - times[0]);
        for (int d = 1; d < times.length && Double.isFinite(f); d++) {
            double target = times[d];
            while (t < target && Double.isFinite(f)) {
                double hs;
                if (adaptive) {
                    hs = Math.min(hAdaptive, target - t);
                } else {
                    int n = (int) Math.ceil((target - t) / h - 1e-9);
                    hs = (target - t) / Math.max(n, 1);
                }
                double[][] stages = new double[stagesPerStep][];
                for (int s = 0; s < stagesPerStep; s++) {
                    double[] y = x.clone();
                    for (int j = 0; j < s; j++) {
                        if (a[s][j] != 0) {
                            for (int q = 0; q < nx; q++) {
                                y[q] += hs * a[s][j] * k[j][q];
                            }
                        }
                    }
                    stages[s] = y;
                    double ts = t + c[s] * hs;
                    rhs.eval(y, data.inputAt(ts, nu), ts, theta, phi, k[s]);
                    rhsEvals++;
                }
                double[] next = x.clone();
                for (int s = 0; s < stagesPerStep; s++) {
                    for (int q = 0; q < nx; q++) {
                        next[q] += hs * b[s] * k[s][q];
                    }
                }
                if (adaptive) {
                    rhs.eval(next, data.inputAt(t + hs, nu), t + hs, theta, phi, k[6]);
                    rhsEvals++;
                    double err = 0;
                    for (int q = 0; q < nx; q++) {
                        double e = 0;
                        for (int s = 0; s < 7; s++) {
                            e += hs * (OdeIntegrators.DP_B[s] - OdeIntegrators.DP_BHAT[s]) * k[s][q];
                        }
                        double sc = atol + rtol * Math.max(Math.abs(x[q]), Math.abs(next[q]));
                        err += (e / sc) * (e / sc);
                    }
                    err = Math.sqrt(err / nx);
                    if (!Double.isFinite(err)) {
                        err = 1e10;
                    }
                    hAdaptive = hs * Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(err, 1e-16), -0.2)));
                    if (err > 1) {
                        if (hAdaptive < 1e-10) {
                            f = Double.NaN;
                        }
                        continue;
                    }
                }
                boolean hitsData = t + hs >= target - 1e-12 * Math.max(1, Math.abs(target));
                steps.add(new Step(t, hs, stages, hitsData ? d : -1));
                t = hitsData ? target : t + hs;
                x = next;
                for (double v : x) {
                    if (!Double.isFinite(v)) {
                        f = Double.NaN;
                    }
                }
            }
            if (Double.isFinite(f)) {
                f += loss.dataTerm(d, x, null);
            }
        }
        if (!Double.isFinite(f)) {
            return new Value(Double.NaN, null, null, rhsEvals, 0);
        }
        return backward(model, loss, theta, phi, steps, a, b, c, f, rhsEvals, nx, nu);
    }

    private static Value backward(PeNodeModel model, TrajectoryLoss loss, double[] theta, double[] phi,
            List<Step> steps, double[][] a, double[] b, double[] c, double f, long rhsEvals, int nx, int nu) {
        int stagesPerStep = b.length;
        int rows = steps.size() * stagesPerStep;
        double[][] xs = new double[rows][];
        double[] ts = new double[rows];
        double[][] us = nu == 0 ? null : new double[rows][];
        for (int n = 0; n < steps.size(); n++) {
            Step st = steps.get(n);
            for (int s = 0; s < stagesPerStep; s++) {
                int row = n * stagesPerStep + s;
                xs[row] = st.stages()[s];
                ts[row] = st.t() + c[s] * st.h();
                if (us != null) {
                    us[row] = loss.data().inputAt(ts[row], nu);
                }
            }
        }
        NodeJacobians jac = NodeJacobians.compute(model, xs, us, ts, theta, phi);
        double[] gTheta = new double[theta.length];
        loss.regularisation(theta, gTheta);
        double[] yBar = new double[nx];
        double[][] kBar = new double[stagesPerStep][nx];
        double[] stageBar = new double[nx];
        for (int n = steps.size() - 1; n >= 0; n--) {
            Step st = steps.get(n);
            if (st.dataIndex() >= 0) {
                loss.dataTerm(st.dataIndex(), endState(st, a, b, jac, n, stagesPerStep, nx), yBar);
            }
            for (int s = 0; s < stagesPerStep; s++) {
                for (int q = 0; q < nx; q++) {
                    kBar[s][q] = st.h() * b[s] * yBar[q];
                }
            }
            double[] yPrev = yBar.clone();
            for (int s = stagesPerStep - 1; s >= 0; s--) {
                int row = n * stagesPerStep + s;
                java.util.Arrays.fill(stageBar, 0);
                for (int i = 0; i < nx; i++) {
                    double kb = kBar[s][i];
                    if (kb == 0) {
                        continue;
                    }
                    double[] jx = jac.dfdx[row][i];
                    for (int q = 0; q < nx; q++) {
                        stageBar[q] += jx[q] * kb;
                    }
                    double[] jt = jac.dfdtheta[row][i];
                    for (int q = 0; q < gTheta.length; q++) {
                        gTheta[q] += jt[q] * kb;
                    }
                }
                for (int q = 0; q < nx; q++) {
                    yPrev[q] += stageBar[q];
                }
                for (int j = 0; j < s; j++) {
                    if (a[s][j] != 0) {
                        for (int q = 0; q < nx; q++) {
                            kBar[j][q] += st.h() * a[s][j] * stageBar[q];
                        }
                    }
                }
            }
            yBar = yPrev;
        }
        loss.dataTerm(0, steps.isEmpty() ? new double[nx] : steps.get(0).stages()[0], yBar);
        return new Value(f, gTheta, yBar, rhsEvals, rows);
    }

    /** The state at the end of step n: y_n + h Σ b_s f(Y_s), with f from the batched evaluation. */
    private static double[] endState(Step st, double[][] a, double[] b, NodeJacobians jac, int n, int stages, int nx) {
        double[] y = st.stages()[0].clone();
        for (int s = 0; s < stages; s++) {
            for (int q = 0; q < nx; q++) {
                y[q] += st.h() * b[s] * jac.f[n * stages + s][q];
            }
        }
        return y;
    }
}
