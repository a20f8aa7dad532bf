package org.leantrain.ode;

/**
 * Optimise-then-discretise gradients (spec §2.7): RK4 forward on a fixed grid storing states and slopes, then the
 * continuous adjoint ȧ = −(∂f/∂x)ᵀa, ġ = −(∂f/∂θ)ᵀa integrated backwards by RK4 on the same grid, with a ← a + ∂L/∂x at
 * every data time. States at the half steps come from cubic Hermite interpolation of the stored grid values and
 * slopes (never from integrating x backwards, which is unstable for dissipative systems); the Jacobians at all grid
 * and half-step points come from one batched {@link NodeJacobians} call.
 */
final class Rk4Adjoint {
    private Rk4Adjoint() {}

    static ExplicitRkBackprop.Value gradient(PeNodeModel model, TrajectoryLoss loss, double[] theta, double[] phi,
            double[] x0, double h) {
        TrainingData data = loss.data();
        double[] times = data.times();
        Mesh grid = Mesh.covering(times, times[0], times[times.length - 1], h);
        int steps = grid.intervals();
        int nx = model.stateDim();
        int nu = model.physics().inputDim();
        OdeIntegrators.Rhs f = OdeIntegrators.of(model, theta, phi, data.input());
        double[][] xs = new double[steps + 1][];
        double[][] slopes = new double[steps + 1][nx];
        xs[0] = x0.clone();
        long rhsEvals = 0;
        for (int n = 0; n < steps; n++) {
            xs[n + 1] = OdeIntegrators.rk4(f, grid.t(n), xs[n], new double[] {grid.t(n + 1)}, grid.h(n))[0];
            rhsEvals += 4;
            for (double v : xs[n + 1]) {
                if (!Double.isFinite(v)) {
                    return new ExplicitRkBackprop.Value(Double.NaN, null, null, rhsEvals, 0);
                }
            }
        }
        for (int n = 0; n <= steps; n++) {
            f.eval(grid.t(n), xs[n], slopes[n]);
            rhsEvals++;
        }
        int[] dataAt = new int[steps + 1];
        java.util.Arrays.fill(dataAt, -1);
        double value = loss.regularisation(theta, null);
        for (int d = 0; d < times.length; d++) {
            int n = java.util.Arrays.binarySearch(grid.grid(), times[d]);
            dataAt[n] = d;
            value += loss.dataTerm(d, xs[n], null);
        }
        // Jacobians at grid points (rows 0..steps) and half steps (rows steps+1..2·steps).
        double[][] pts = new double[2 * steps + 1][];
        double[] ts = new double[2 * steps + 1];
        double[][] us = nu == 0 ? null : new double[2 * steps + 1][];
        for (int n = 0; n <= steps; n++) {
            pts[n] = xs[n];
            ts[n] = grid.t(n);
        }
        for (int n = 0; n < steps; n++) {
            double hn = grid.h(n);
            double[] mid = new double[nx];
            for (int q = 0; q < nx; q++) {
                mid[q] = 0.5 * (xs[n][q] + xs[n + 1][q]) + hn / 8 * (slopes[n][q] - slopes[n + 1][q]);
            }
            pts[steps + 1 + n] = mid;
            ts[steps + 1 + n] = grid.t(n) + hn / 2;
        }
        if (us != null) {
            for (int r = 0; r < ts.length; r++) {
                us[r] = data.inputAt(ts[r], nu);
            }
        }
        NodeJacobians jac = NodeJacobians.compute(model, pts, us, ts, theta, phi);
        double[] adj = new double[nx];
        double[] g = new double[theta.length];
        if (dataAt[steps] >= 0) {
            loss.dataTerm(dataAt[steps], xs[steps], adj);
        }
        for (int n = steps - 1; n >= 0; n--) {
            double hn = grid.h(n);
            int end = n + 1;
            int mid = steps + 1 + n;
            double[] k1 = vjp(jac, end, adj);
            double[] k2 = vjp(jac, mid, axpy(adj, hn / 2, k1));
            double[] k3 = vjp(jac, mid, axpy(adj, hn / 2, k2));
            double[] k4 = vjp(jac, n, axpy(adj, hn, k3));
            addThetaVjp(jac, end, adj, hn / 6, g);
            addThetaVjp(jac, mid, axpy(adj, hn / 2, k1), hn / 3, g);
            addThetaVjp(jac, mid, axpy(adj, hn / 2, k2), hn / 3, g);
            addThetaVjp(jac, n, axpy(adj, hn, k3), hn / 6, g);
            for (int q = 0; q < nx; q++) {
                adj[q] += hn / 6 * (k1[q] + 2 * k2[q] + 2 * k3[q] + k4[q]);
            }
            if (dataAt[n] >= 0) {
                loss.dataTerm(dataAt[n], xs[n], adj);
            }
        }
        loss.regularisation(theta, g);
        return new ExplicitRkBackprop.Value(value, g, adj, rhsEvals, 8L * steps);
    }

    private static double[] vjp(NodeJacobians jac, int row, double[] a) {
        int nx = jac.nx;
        double[] out = new double[nx];
        for (int i = 0; i < nx; i++) {
            for (int q = 0; q < nx; q++) {
                out[q] += jac.dfdx[row][i][q] * a[i];
            }
        }
        return out;
    }

    private static void addThetaVjp(NodeJacobians jac, int row, double[] a, double weight, double[] g) {
        for (int i = 0; i < jac.nx; i++) {
            double w = weight * a[i];
            double[] jt = jac.dfdtheta[row][i];
            for (int q = 0; q < g.length; q++) {
                g[q] += w * jt[q];
            }
        }
    }

    private static double[] axpy(double[] x, double s, double[] y) {
        double[] out = x.clone();
        for (int i = 0; i < x.length; i++) {
            out[i] += s * y[i];
        }
        return out;
    }
}
