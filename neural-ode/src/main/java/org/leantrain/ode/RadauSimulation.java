package org.leantrain.ode;

/**
 * Time-stepping with the collocation scheme itself: interval after interval, Newton on the m stage values given the
 * previous interval's end. The result satisfies c(X) = 0 exactly for fixed p, so it is the natural starting point of
 * a simulation problem (and of unobserved states) where a trajectory guess from another integrator may sit far from
 * the coarse-mesh collocation solution.
 */
public final class RadauSimulation {
    private RadauSimulation() {}

    /** Scaled node states [N·nx] from the physical x_0 with θ, φ fixed; throws if an interval's Newton fails. */
    public static double[] simulate(CollocationProblem p, double[] x0, double[] theta, double[] phi) {
        int nx = p.nx;
        int m = p.m;
        double[][] d = p.radau.d();
        double[] states = new double[p.nX];
        double[] start = new double[nx];
        for (int c = 0; c < nx; c++) {
            start[c] = x0[c] / p.scale[c];
        }
        for (int i = 0; i < p.n; i++) {
            double h = p.mesh.h(i);
            double[][] x = new double[m][];
            double[] times = new double[m];
            double[][] inputs = new double[m][];
            for (int j = 0; j < m; j++) {
                x[j] = start.clone();
                times[j] = p.nodeTime(i * m + j);
                inputs[j] = p.nodeInputs[i * m + j];
            }
            boolean converged = false;
            for (int iter = 0; iter < 50 && !converged; iter++) {
                double[][] phys = new double[m][nx];
                for (int j = 0; j < m; j++) {
                    for (int c = 0; c < nx; c++) {
                        phys[j][c] = x[j][c] * p.scale[c];
                    }
                }
                NodeJacobians jac = NodeJacobians.compute(p.model, phys, p.nu == 0 ? null : inputs, times, theta, phi);
                int size = m * nx;
                double[][] e = new double[size][size];
                double[][] rhs = new double[size][1];
                double worst = 0;
                for (int j = 0; j < m; j++) {
                    for (int c = 0; c < nx; c++) {
                        int row = j * nx + c;
                        double res = d[j][0] * start[c] - h * jac.f[j][c] / p.scale[c];
                        for (int k = 0; k < m; k++) {
                            res += d[j][k + 1] * x[k][c];
                            e[row][k * nx + c] = d[j][k + 1];
                        }
                        for (int c2 = 0; c2 < nx; c2++) {
                            e[row][j * nx + c2] -= h * jac.dfdx[j][c][c2] * p.scale[c2] / p.scale[c];
                        }
                        rhs[row][0] = -res;
                        worst = Math.max(worst, Math.abs(res));
                    }
                }
                if (!Double.isFinite(worst)) {
                    break;
                }
                converged = worst < 1e-12;
                new DenseLu(e, "collocation block of interval " + i).solveInPlace(rhs);
                for (int j = 0; j < m; j++) {
                    for (int c = 0; c < nx; c++) {
                        x[j][c] += rhs[j * nx + c][0];
                    }
                }
            }
            if (!converged) {
                throw new IllegalStateException("Newton on interval " + i + " [" + p.mesh.t(i) + ", "
                        + p.mesh.t(i + 1) + "] did not converge: refine the mesh there or check the model");
            }
            for (int j = 0; j < m; j++) {
                System.arraycopy(x[j], 0, states, (i * m + j) * nx, nx);
            }
            start = x[m - 1].clone();
        }
        return states;
    }
}
