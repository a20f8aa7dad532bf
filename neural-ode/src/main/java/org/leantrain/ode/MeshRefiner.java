package org.leantrain.ode;

import java.util.BitSet;

/**
 * Per-interval error estimates and bisection (spec §3). The estimate re-solves every interval alone with m + 1 stages
 * from its start state, p frozen (Newton, all intervals in one batch per iteration), and compares the end states:
 * err_i = ‖x_{i,m} − x^{(m+1)}_{i,end}‖∞ on the scaled states.
 */
public final class MeshRefiner {
    private MeshRefiner() {}

    public static double[] estimate(CollocationProblem p, double[] z) {
        int m1 = p.m + 1;
        RadauIIA r1 = RadauIIA.of(m1);
        int nx = p.nx;
        int n = p.n;
        double[] theta = p.theta(z);
        double[] phi = p.phi(z);
        double[][] start = new double[n][nx];
        double[][][] x = new double[n][m1][];
        double[] times = new double[n * m1];
        double[][] inputs = new double[n * m1][];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < nx; d++) {
                start[i][d] = p.scaledState(z, i, 0, d);
            }
            for (int j = 0; j < m1; j++) {
                double t = j == m1 - 1 ? p.mesh.t(i + 1) : p.mesh.t(i) + r1.c()[j] * p.mesh.h(i);
                double[] phys = p.stateAt(z, t);
                x[i][j] = new double[nx];
                for (int d = 0; d < nx; d++) {
                    x[i][j][d] = phys[d] / p.scale[d];
                }
                times[i * m1 + j] = t;
                inputs[i * m1 + j] = p.data == null ? new double[0] : p.data.inputAt(t, p.nu);
            }
        }
        double[][] d = r1.d();
        for (int iter = 0; iter < 30; iter++) {
            double[][] phys = new double[n * m1][nx];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m1; j++) {
                    for (int c = 0; c < nx; c++) {
                        phys[i * m1 + j][c] = x[i][j][c] * p.scale[c];
                    }
                }
            }
            NodeJacobians jac = NodeJacobians.compute(p.model, phys, p.nu == 0 ? null : inputs, times, theta, phi);
            double worst = 0;
            for (int i = 0; i < n; i++) {
                double h = p.mesh.h(i);
                int size = m1 * nx;
                double[][] e = new double[size][size];
                double[][] rhs = new double[size][1];
                for (int j = 0; j < m1; j++) {
                    int node = i * m1 + j;
                    for (int c = 0; c < nx; c++) {
                        int row = j * nx + c;
                        double res = d[j][0] * start[i][c] - h * jac.f[node][c] / p.scale[c];
                        for (int k = 0; k < m1; k++) {
                            res += d[j][k + 1] * x[i][k][c];
                            e[row][k * nx + c] = d[j][k + 1];
                        }
                        for (int c2 = 0; c2 < nx; c2++) {
                            e[row][j * nx + c2] -= h * jac.dfdx[node][c][c2] * p.scale[c2] / p.scale[c];
                        }
                        rhs[row][0] = -res;
                        worst = Math.max(worst, Math.abs(res));
                    }
                }
                new DenseLu(e, "error-estimate block of interval " + i).solveInPlace(rhs);
                for (int j = 0; j < m1; j++) {
                    for (int c = 0; c < nx; c++) {
                        x[i][j][c] += rhs[j * nx + c][0];
                    }
                }
            }
            if (worst < 1e-13) {
                break;
            }
        }
        double[] err = new double[n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < nx; c++) {
                err[i] = Math.max(err[i], Math.abs(x[i][m1 - 1][c] - p.scaledState(z, i, p.m, c)));
            }
        }
        return err;
    }

    /** The mesh with every interval whose estimate exceeds tol bisected. */
    public static Mesh refine(Mesh mesh, double[] errors, double tol) {
        BitSet marked = new BitSet();
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] > tol) {
                marked.set(i);
            }
        }
        return mesh.bisect(marked);
    }

    /** z on a new problem (new mesh) by evaluating the old collocation polynomials at the new nodes; p kept. */
    public static double[] transfer(CollocationProblem from, double[] z, CollocationProblem to) {
        double[][] states = new double[to.nodeCount()][];
        for (int k = 0; k < to.nodeCount(); k++) {
            states[k] = from.stateAt(z, to.nodeTime(k));
        }
        return to.pack(states, from.x0(z), from.theta(z), from.phi(z));
    }
}
