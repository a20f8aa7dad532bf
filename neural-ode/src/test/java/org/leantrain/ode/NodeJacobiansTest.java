package org.leantrain.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.Autograd;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Spec §6 test 5: per-node Jacobians against central differences and against a plain parameter gradient. */
class NodeJacobiansTest {
    @Test
    void vanDerPolJacobiansMatchFiniteDifferences() {
        check(VanDerPol.model(16, 16), new double[] {0.7, 1.3}, 2, null);
    }

    @Test
    void quarterVehicleJacobiansMatchFiniteDifferences() {
        check(QuarterVehicle.model(16, 16), new double[] {0.02, 0.2, 0.03, 0.6}, 7,
                t -> new double[] {QuarterVehicle.road(t, QuarterVehicle.TRAIN_PHASES)});
    }

    private static void check(PeNodeModel model, double[] amplitude, long seed,
            java.util.function.DoubleFunction<double[]> input) {
        Rng rng = new Rng(seed);
        int nodes = 6;
        int nx = model.stateDim();
        double[] theta = new double[model.thetaDim()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = 0.4 * rng.nextGaussian();
        }
        double[] phi = model.phiInit();
        double[][] x = new double[nodes][nx];
        double[] t = new double[nodes];
        double[][] u = input == null ? null : new double[nodes][];
        for (int k = 0; k < nodes; k++) {
            t[k] = 0.1 * k;
            for (int d = 0; d < nx; d++) {
                x[k][d] = amplitude[d] * rng.nextGaussian();
            }
            if (u != null) {
                u[k] = input.apply(t[k]);
            }
        }
        NodeJacobians jac = NodeJacobians.compute(model, x, u, t, theta, phi);
        PeNodeModel.RowRhs rhs = model.rowRhs();
        double h = 1e-6;
        double[] fp = new double[nx];
        double[] fm = new double[nx];
        double worst = 0;
        for (int k = 0; k < nodes; k++) {
            double[] uk = u == null ? new double[0] : u[k];
            rhs.eval(x[k], uk, t[k], theta, phi, fp);
            for (int d = 0; d < nx; d++) {
                assertEquals(fp[d], jac.f[k][d], 1e-12 * (1 + Math.abs(fp[d])), "batched and row f disagree");
            }
            for (int j = 0; j < nx; j++) {
                double[] xp = x[k].clone();
                double[] xm = x[k].clone();
                double step = h;
                xp[j] += step;
                xm[j] -= step;
                rhs.eval(xp, uk, t[k], theta, phi, fp);
                rhs.eval(xm, uk, t[k], theta, phi, fm);
                for (int d = 0; d < nx; d++) {
                    worst = Math.max(worst, relErr((fp[d] - fm[d]) / (2 * step), jac.dfdx[k][d][j], jac.dfdx[k][d]));
                }
            }
            for (int q = 0; q < theta.length; q++) {
                double[] tp = theta.clone();
                double[] tm = theta.clone();
                tp[q] += 10 * h;
                tm[q] -= 10 * h;
                rhs.eval(x[k], uk, t[k], tp, phi, fp);
                rhs.eval(x[k], uk, t[k], tm, phi, fm);
                for (int d = 0; d < nx; d++) {
                    worst = Math.max(worst, relErr((fp[d] - fm[d]) / (20 * h), jac.dfdtheta[k][d][q], jac.dfdtheta[k][d]));
                }
            }
        }
        assertTrue(worst < 1e-6, "max relative error " + worst);
        assertPerNodeSumEqualsParameterGradient(model, jac, x, u, t, theta, phi);
    }

    /** Σ_n ∂f_k(x_n)/∂θ equals the plain autograd gradient of Σ_n f_k(x_n) with θ as parameters. */
    private static void assertPerNodeSumEqualsParameterGradient(PeNodeModel model, NodeJacobians jac, double[][] x,
            double[][] u, double[] t, double[] theta, double[] phi) {
        int nodes = x.length;
        for (int k = 0; k < model.stateDim(); k++) {
            Tensor thetaT = Tensor.parameter(Nd4j.create(theta, new long[] {theta.length}, 'c'));
            Tensor xs = Tensor.of(Nd4j.create(x));
            Tensor us = u == null ? Tensor.of(Nd4j.zeros(DataType.DOUBLE, nodes, 1)) : Tensor.of(Nd4j.create(u));
            Tensor ts = Tensor.of(Nd4j.create(t, new long[] {nodes, 1}, 'c'));
            double[][] phiRows = new double[nodes][];
            java.util.Arrays.fill(phiRows, phi.length == 0 ? new double[] {0} : phi);
            Tensor y = model.net().forward(model.physics().features(xs, us, ts), thetaT);
            Tensor f = model.physics().rhs(xs, us, ts, Tensor.of(Nd4j.create(phiRows)), y);
            INDArray g = Autograd.grad(f.slice(1, k, k + 1).sum(), thetaT)[0];
            for (int q = 0; q < theta.length; q++) {
                double sum = 0;
                for (int n = 0; n < nodes; n++) {
                    sum += jac.dfdtheta[n][k][q];
                }
                assertEquals(g.getDouble(q), sum, 1e-12 * (1 + Math.abs(sum)), "state " + k + " θ_" + q);
            }
        }
    }

    /** Error relative to the entry, floored at 1e-3 of the largest entry of its Jacobian row (round-off of FD). */
    private static double relErr(double fd, double exact, double[] row) {
        double rowMax = 0;
        for (double v : row) {
            rowMax = Math.max(rowMax, Math.abs(v));
        }
        return Math.abs(fd - exact) / Math.max(Math.abs(exact), Math.max(1e-3 * rowMax, 1e-12));
    }
}
