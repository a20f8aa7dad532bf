package org.leantrain.ode;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.tensor.Autograd;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * f and its exact per-node Jacobians at N nodes from one batched forward pass and nx + ny reverse sweeps (spec §3):
 * sweep k seeds e_k in every row of f and asks for d/d[X, Φ, Y] (rows are independent, so row n of each result is
 * row k of node n's Jacobian); sweep c seeds e_c in every row of the network output and asks for the pre-activation
 * gradients δ_ℓ, whose outer products with the layer inputs are the per-node weight rows. ∂f/∂θ = ∂f/∂Y · ∂Y/∂θ.
 * Everything is in physical units and double precision.
 */
public final class NodeJacobians {
    public final int nodes;
    public final int nx;
    public final int ny;
    public final int nTheta;
    public final int nPhi;
    /** f [N][nx]. */
    public final double[][] f;
    /** ∂f/∂x [N][nx][nx], the network's dependence on x included. */
    public final double[][][] dfdx;
    /** ∂f/∂θ [N][nx][nθ]. */
    public final double[][][] dfdtheta;
    /** ∂f/∂φ [N][nx][nφ]. */
    public final double[][][] dfdphi;
    /** Network output Y [N][ny], ∂Y/∂x [N][ny][nx], ∂Y/∂θ [N][ny][nθ]. */
    public final double[][] y;
    public final double[][][] dydx;
    public final double[][][] dydtheta;

    private NodeJacobians(int nodes, int nx, int ny, int nTheta, int nPhi) {
        this.nodes = nodes;
        this.nx = nx;
        this.ny = ny;
        this.nTheta = nTheta;
        this.nPhi = nPhi;
        this.f = new double[nodes][nx];
        this.dfdx = new double[nodes][nx][nx];
        this.dfdtheta = new double[nodes][nx][nTheta];
        this.dfdphi = new double[nodes][nx][nPhi];
        this.y = new double[nodes][ny];
        this.dydx = new double[nodes][ny][nx];
        this.dydtheta = new double[nodes][ny][nTheta];
    }

    /**
     * @param x node states [N][nx] (physical units), u inputs [N][nu] (null when nu = 0), t node times [N]
     */
    public static NodeJacobians compute(PeNodeModel model, double[][] x, double[][] u, double[] t, double[] theta,
            double[] phi) {
        PhysicsRhs physics = model.physics();
        int n = x.length;
        int nx = physics.stateDim();
        int ny = physics.nnOutputDim();
        int nPhi = physics.paramDim();
        NodeJacobians out = new NodeJacobians(n, nx, ny, model.thetaDim(), nPhi);

        Tensor xs = Tensor.of(Matrices.fromRows(x)).requireGrad(true);
        Tensor us = Tensor.of(u == null || physics.inputDim() == 0 ? Nd4j.zeros(DataType.DOUBLE, n, 1)
                : Matrices.fromRows(u));
        Tensor ts = Tensor.of(Nd4j.create(t, new long[] {n, 1}, 'c').castTo(DataType.DOUBLE));
        double[][] phiRows = new double[n][];
        for (int i = 0; i < n; i++) {
            phiRows[i] = nPhi == 0 ? new double[] {0} : phi;
        }
        Tensor phis = Tensor.of(Matrices.fromRows(phiRows)).requireGrad(true);
        List<Tensor> pre = new ArrayList<>();
        Tensor features = null;
        Tensor yOut = null;
        if (model.net() != null) {
            features = physics.features(xs, us, ts);
            yOut = model.net().forward(features, theta, pre);
        }
        Tensor fOut = physics.rhs(xs, us, ts, phis, yOut);
        copyRows(fOut.value(), out.f);
        Tensor[] wrt = yOut == null ? new Tensor[] {xs, phis} : new Tensor[] {xs, phis, yOut};
        double[][][] dfdy = new double[n][nx][ny];
        for (int k = 0; k < nx; k++) {
            INDArray seed = Nd4j.zeros(DataType.DOUBLE, n, nx);
            seed.getColumn(k).assign(1);
            boolean retain = yOut != null || k + 1 < nx;
            INDArray[] g = Autograd.grad(fOut, seed, retain, wrt);
            scatterRows(g[0], out.dfdx, k, nx);
            if (nPhi > 0) {
                scatterRows(g[1], out.dfdphi, k, nPhi);
            }
            if (yOut != null) {
                scatterRows(g[2], dfdy, k, ny);
            }
        }
        if (yOut != null) {
            networkJacobians(model.net(), features, pre, xs, yOut, out);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < nx; k++) {
                    double[] row = out.dfdtheta[i][k];
                    for (int c = 0; c < ny; c++) {
                        double s = dfdy[i][k][c];
                        if (s == 0) {
                            continue;
                        }
                        double[] dy = out.dydtheta[i][c];
                        for (int p = 0; p < row.length; p++) {
                            row[p] += s * dy[p];
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void networkJacobians(TanhMlp net, Tensor features, List<Tensor> pre, Tensor xs, Tensor yOut,
            NodeJacobians out) {
        int n = out.nodes;
        int ny = out.ny;
        copyRows(yOut.value(), out.y);
        // Layer inputs a_{ℓ−1} per node: the features, then tanh of each hidden pre-activation.
        double[][][] inputs = new double[net.layers()][][];
        inputs[0] = Matrices.toRows(features.value());
        for (int l = 1; l < net.layers(); l++) {
            inputs[l] = Matrices.toRows(Nd4j.math().tanh(pre.get(l - 1).value().dup()));
        }
        Tensor[] wrt = new Tensor[pre.size() + 1];
        for (int l = 0; l < pre.size(); l++) {
            wrt[l] = pre.get(l);
        }
        wrt[pre.size()] = xs;
        for (int c = 0; c < ny; c++) {
            INDArray seed = Nd4j.zeros(DataType.DOUBLE, n, ny);
            seed.getColumn(c).assign(1);
            INDArray[] g = Autograd.grad(yOut, seed, c + 1 < ny, wrt);
            double[][] dx = g[pre.size()] == null ? new double[n][out.nx] : Matrices.toRows(g[pre.size()]);
            for (int i = 0; i < n; i++) {
                out.dydx[i][c] = dx[i];
            }
            for (int l = 0; l < net.layers(); l++) {
                double[][] delta = Matrices.toRows(g[l]);
                int nIn = net.width(l);
                int nOut = net.width(l + 1);
                int wo = net.weightOffset(l);
                int bo = net.biasOffset(l);
                for (int i = 0; i < n; i++) {
                    double[] row = out.dydtheta[i][c];
                    double[] a = inputs[l][i];
                    double[] d = delta[i];
                    for (int p = 0; p < nIn; p++) {
                        double ap = a[p];
                        int base = wo + p * nOut;
                        for (int o = 0; o < nOut; o++) {
                            row[base + o] = ap * d[o];
                        }
                    }
                    System.arraycopy(d, 0, row, bo, nOut);
                }
            }
        }
    }

    private static void copyRows(INDArray value, double[][] target) {
        double[][] m = Matrices.toRows(value);
        for (int i = 0; i < target.length; i++) {
            System.arraycopy(m[i], 0, target[i], 0, target[i].length);
        }
    }

    /** target[i][k][:] = grad row i (or zeros when the branch does not reach the input). */
    private static void scatterRows(INDArray grad, double[][][] target, int k, int width) {
        if (grad == null) {
            return;
        }
        double[][] m = Matrices.toRows(grad);
        for (int i = 0; i < target.length; i++) {
            System.arraycopy(m[i], 0, target[i][k], 0, width);
        }
    }
}
