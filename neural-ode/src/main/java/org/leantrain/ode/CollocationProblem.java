package org.leantrain.ode;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.tensor.Autograd;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The PeN-ODE training NLP on one mesh (spec §2.3–2.4). Variables z = (X, p): X holds the scaled states x/s at the
 * N = n·m Radau nodes (node-major, component-minor), p = (scaled x_0 when free, θ, trainable φ). Residuals r: the
 * data rows √(w_o/Nd)(x_o(t_d) − ŷ_d) with x(t_d) interpolated in its interval, then the squared-hinge rows of the
 * path constraints; F = ½‖r‖² + ½λ‖θ‖². Without data (null) it is a pure simulation: Newton on c(X) = 0. Constraints c: the collocation residuals Σ_k D_jk x̃_{i,k} − h_i f(x_{i,j})/s.
 */
public final class CollocationProblem {
    public final PeNodeModel model;
    public final TrainingData data;
    public final Mesh mesh;
    public final RadauIIA radau;
    public final double lambda;
    public final boolean x0Free;
    public final List<PathConstraint> constraints;

    final int nx;
    final int nu;
    final int n;
    final int m;
    final int nodes;
    final int nX;
    final int nTheta;
    final int np;
    final int x0Cols;
    final int[] phiIndex;
    final double[] scale;
    final double[] nodeTimes;
    final double[][] nodeInputs;
    private final double[] x0FixedScaled;

    /** Data rows: z indices, coefficients and constants, r = Σ coef·z[idx] + constant. */
    final int[][] dataIdx;
    final double[][] dataCoef;
    final double[] dataConst;
    final int hingeRows;
    private double hingePenalty;
    long rhsEvals;
    int jacEvals;

    public CollocationProblem(PeNodeModel model, TrainingData data, Mesh mesh, int stages, double lambda,
            boolean x0Free, double[] x0Fixed, List<PathConstraint> constraints) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("regularisation λ must be finite and ≥ 0, got " + lambda);
        }
        this.model = model;
        this.data = data;
        this.mesh = mesh;
        this.radau = RadauIIA.of(stages);
        this.lambda = lambda;
        this.x0Free = x0Free;
        this.constraints = List.copyOf(constraints);
        this.nx = model.stateDim();
        this.nu = model.physics().inputDim();
        if (data != null) {
            data.validate(nx, nu, mesh.start(), mesh.end());
        } else if (nu > 0) {
            throw new IllegalArgumentException("a simulation problem (no data) cannot supply the model's " + nu
                    + " inputs; pass TrainingData with the input function");
        }
        this.n = mesh.intervals();
        this.m = stages;
        this.nodes = n * m;
        this.nX = nodes * nx;
        this.nTheta = model.thetaDim();
        this.x0Cols = x0Free ? nx : 0;
        this.phiIndex = trainableIndices(model.phiTrainable());
        this.np = x0Cols + nTheta + phiIndex.length;
        this.scale = model.scaling().state().clone();
        if (!x0Free) {
            if (x0Fixed == null || x0Fixed.length != nx) {
                throw new IllegalArgumentException("a fixed initial state needs " + nx + " values, got "
                        + (x0Fixed == null ? "null" : x0Fixed.length));
            }
            this.x0FixedScaled = new double[nx];
            for (int d = 0; d < nx; d++) {
                if (!Double.isFinite(x0Fixed[d])) {
                    throw new IllegalArgumentException("initial state " + d + " is " + x0Fixed[d]);
                }
                x0FixedScaled[d] = x0Fixed[d] / scale[d];
            }
        } else {
            this.x0FixedScaled = null;
        }
        this.nodeTimes = new double[nodes];
        this.nodeInputs = new double[nodes][];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double t = j == m - 1 ? mesh.t(i + 1) : mesh.t(i) + radau.c()[j] * mesh.h(i);
                nodeTimes[i * m + j] = t;
                nodeInputs[i * m + j] = data == null ? new double[0] : data.inputAt(t, nu);
            }
        }
        int rows = data == null ? 0 : data.size() * data.observedStates().length;
        this.dataIdx = new int[rows][];
        this.dataCoef = new double[rows][];
        this.dataConst = new double[rows];
        buildDataRows();
        int perNode = 0;
        for (PathConstraint pc : constraints) {
            perNode += (Double.isFinite(pc.lo()) ? 1 : 0) + (Double.isFinite(pc.hi()) ? 1 : 0);
        }
        this.hingeRows = perNode * nodes;
    }

    private static int[] trainableIndices(boolean[] trainable) {
        int k = 0;
        int[] idx = new int[trainable.length];
        for (int i = 0; i < trainable.length; i++) {
            if (trainable[i]) {
                idx[k++] = i;
            }
        }
        return java.util.Arrays.copyOf(idx, k);
    }

    private void buildDataRows() {
        if (data == null) {
            return;
        }
        int no = data.observedStates().length;
        double nd = data.size();
        for (int d = 0; d < data.size(); d++) {
            double t = data.times()[d];
            int i = mesh.locate(t);
            double[] w = radau.interpolationWeights((t - mesh.t(i)) / mesh.h(i));
            for (int o = 0; o < no; o++) {
                int comp = data.observedStates()[o];
                double sw = Math.sqrt(data.weights()[o] / nd);
                int row = d * no + o;
                List<int[]> idx = new ArrayList<>();
                List<Double> coef = new ArrayList<>();
                double constant = -sw * data.obs()[d][o];
                for (int k = 0; k <= m; k++) {
                    if (w[k] == 0) {
                        continue;
                    }
                    double cf = sw * w[k] * scale[comp];
                    int zi = stateIndex(i, k, comp);
                    if (zi < 0) {
                        constant += cf * x0FixedScaled[comp];
                    } else {
                        idx.add(new int[] {zi});
                        coef.add(cf);
                    }
                }
                dataIdx[row] = idx.stream().mapToInt(a -> a[0]).toArray();
                dataCoef[row] = coef.stream().mapToDouble(Double::doubleValue).toArray();
                dataConst[row] = constant;
            }
        }
    }

    /** z index of component d of x_{i,k} (k = 0 is the interval start); −1 for a fixed x_0. */
    int stateIndex(int i, int k, int d) {
        if (k > 0) {
            return (i * m + k - 1) * nx + d;
        }
        if (i > 0) {
            return ((i - 1) * m + m - 1) * nx + d;
        }
        return x0Free ? nX + d : -1;
    }

    double scaledState(double[] z, int i, int k, int d) {
        int zi = stateIndex(i, k, d);
        return zi < 0 ? x0FixedScaled[d] : z[zi];
    }

    public int variableCount() {
        return nX + np;
    }

    public int parameterCount() {
        return np;
    }

    public int nodeCount() {
        return nodes;
    }

    public int residualCount() {
        return dataIdx.length + hingeRows;
    }

    public double hingePenalty() {
        return hingePenalty;
    }

    public void setHingePenalty(double rho) {
        if (!(rho >= 0)) {
            throw new IllegalArgumentException("hinge penalty must be ≥ 0, got " + rho);
        }
        this.hingePenalty = rho;
    }

    public double[] theta(double[] z) {
        return java.util.Arrays.copyOfRange(z, nX + x0Cols, nX + x0Cols + nTheta);
    }

    public double[] phi(double[] z) {
        double[] phi = model.phiInit().clone();
        for (int k = 0; k < phiIndex.length; k++) {
            phi[phiIndex[k]] = z[nX + x0Cols + nTheta + k];
        }
        return phi;
    }

    /** The initial state in physical units. */
    public double[] x0(double[] z) {
        double[] x0 = new double[nx];
        for (int d = 0; d < nx; d++) {
            x0[d] = scaledState(z, 0, 0, d) * scale[d];
        }
        return x0;
    }

    /** Physical state at node (interval i, stage j = 1..m). */
    public double[] nodeState(double[] z, int node) {
        double[] x = new double[nx];
        for (int d = 0; d < nx; d++) {
            x[d] = z[node * nx + d] * scale[d];
        }
        return x;
    }

    public double nodeTime(int node) {
        return nodeTimes[node];
    }

    /** Physical state at any t in the mesh by the interval's collocation polynomial (spec §2.3). */
    public double[] stateAt(double[] z, double t) {
        int i = mesh.locate(t);
        double[] w = radau.interpolationWeights((t - mesh.t(i)) / mesh.h(i));
        double[] x = new double[nx];
        for (int d = 0; d < nx; d++) {
            double v = 0;
            for (int k = 0; k <= m; k++) {
                v += w[k] * scaledState(z, i, k, d);
            }
            x[d] = v * scale[d];
        }
        return x;
    }

    /** z from physical node states [N][nx], a physical x_0 (used when free), θ and φ. */
    public double[] pack(double[][] nodeStates, double[] x0, double[] theta, double[] phi) {
        double[] z = new double[nX + np];
        for (int k = 0; k < nodes; k++) {
            for (int d = 0; d < nx; d++) {
                z[k * nx + d] = nodeStates[k][d] / scale[d];
            }
        }
        if (x0Free) {
            for (int d = 0; d < nx; d++) {
                z[nX + d] = x0[d] / scale[d];
            }
        }
        System.arraycopy(theta, 0, z, nX + x0Cols, nTheta);
        for (int k = 0; k < phiIndex.length; k++) {
            z[nX + x0Cols + nTheta + k] = phi[phiIndex[k]];
        }
        return z;
    }

    /** Values at z: constraints, residuals, objective, and the first node whose f is not finite (−1 if none). */
    public Evaluation evaluate(double[] z) {
        double[] theta = theta(z);
        double[] phi = phi(z);
        PeNodeModel.RowRhs rhs = model.rowRhs();
        double[][] f = new double[nodes][nx];
        double[][] y = new double[nodes][];
        int badNode = -1;
        for (int k = 0; k < nodes; k++) {
            rhs.eval(nodeState(z, k), nodeInputs[k], nodeTimes[k], theta, phi, f[k]);
            y[k] = rhs.lastNetworkOutput();
            if (badNode < 0 && !finite(f[k])) {
                badNode = k;
            }
        }
        rhsEvals += nodes;
        Evaluation e = new Evaluation(nX, residualCount());
        e.badNode = badNode;
        fillConstraints(z, f, e.c);
        fillDataResiduals(z, e.r);
        fillHingeResiduals(z, y, e.r, null);
        e.finish(lambda, theta);
        return e;
    }

    private static boolean finite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private void fillConstraints(double[] z, double[][] f, double[] c) {
        double[][] d = radau.d();
        for (int i = 0; i < n; i++) {
            double h = mesh.h(i);
            for (int j = 1; j <= m; j++) {
                int node = i * m + j - 1;
                for (int comp = 0; comp < nx; comp++) {
                    double v = -h * f[node][comp] / scale[comp];
                    for (int k = 0; k <= m; k++) {
                        v += d[j - 1][k] * scaledState(z, i, k, comp);
                    }
                    c[node * nx + comp] = v;
                }
            }
        }
    }

    private void fillDataResiduals(double[] z, double[] r) {
        for (int row = 0; row < dataIdx.length; row++) {
            double v = dataConst[row];
            for (int q = 0; q < dataIdx[row].length; q++) {
                v += dataCoef[row][q] * z[dataIdx[row][q]];
            }
            r[row] = v;
        }
    }

    /**
     * Squared-hinge rows √ρ·max(0, g − hi), √ρ·max(0, lo − g) per node and constraint; with {@code gradSign} given,
     * records +1/−1 for an active upper/lower row (0 inactive) for the Jacobian.
     */
    private void fillHingeResiduals(double[] z, double[][] y, double[] r, double[] gradSign) {
        if (hingeRows == 0) {
            return;
        }
        double sq = Math.sqrt(hingePenalty);
        int row = dataIdx.length;
        for (PathConstraint pc : constraints) {
            for (int k = 0; k < nodes; k++) {
                double g = pc.gRow().apply(nodeState(z, k), y[k]);
                if (Double.isFinite(pc.lo())) {
                    double viol = pc.lo() - g;
                    r[row] = sq * Math.max(0, viol);
                    if (gradSign != null) {
                        gradSign[row] = viol > 0 ? -1 : 0;
                    }
                    row++;
                }
                if (Double.isFinite(pc.hi())) {
                    double viol = g - pc.hi();
                    r[row] = sq * Math.max(0, viol);
                    if (gradSign != null) {
                        gradSign[row] = viol > 0 ? 1 : 0;
                    }
                    row++;
                }
            }
        }
    }

    /** The worst violation of any path constraint over the nodes (≤ 0 when all hold), in g's units. */
    public double worstPathViolation(double[] z) {
        double worst = Double.NEGATIVE_INFINITY;
        double[] theta = theta(z);
        double[] phi = phi(z);
        PeNodeModel.RowRhs rhs = model.rowRhs();
        double[] f = new double[nx];
        for (int k = 0; k < nodes; k++) {
            double[] x = nodeState(z, k);
            rhs.eval(x, nodeInputs[k], nodeTimes[k], theta, phi, f);
            double[] y = rhs.lastNetworkOutput();
            for (PathConstraint pc : constraints) {
                double g = pc.gRow().apply(x, y);
                worst = Math.max(worst, Math.max(pc.lo() - g, g - pc.hi()));
            }
        }
        return worst;
    }

    /** Values and first derivatives at z (one "Jacobian evaluation": f, ∂f/∂x, ∂f/∂p at all N nodes as one batch). */
    public Linearization linearize(double[] z) {
        double[] theta = theta(z);
        double[] phi = phi(z);
        double[][] x = new double[nodes][];
        for (int k = 0; k < nodes; k++) {
            x[k] = nodeState(z, k);
        }
        NodeJacobians jac;
        try {
            jac = NodeJacobians.compute(model, x, nu == 0 ? null : nodeInputs, nodeTimes, theta, phi);
        } catch (ArithmeticException e) {
            Linearization failed = new Linearization(this, nX, residualCount());
            failed.badNode = firstNonFiniteNode(x, theta, phi);
            return failed;
        }
        jacEvals++;
        rhsEvals += nodes;
        Linearization lin = new Linearization(this, nX, residualCount());
        for (int k = 0; k < nodes; k++) {
            if (lin.badNode < 0 && (!finite(jac.f[k]) || !finite(jac.dfdx[k]) || !finite(jac.dfdtheta[k]))) {
                lin.badNode = k;
            }
        }
        fillConstraints(z, jac.f, lin.c);
        fillDataResiduals(z, lin.r);
        double[] signs = new double[residualCount()];
        fillHingeResiduals(z, jac.y, lin.r, signs);
        lin.finish(lambda, theta);
        lin.theta = theta;
        fillBlocks(jac, lin);
        if (!constraints.isEmpty()) {
            lin.path = pathRows(x, jac);
            if (hingeRows > 0) {
                fillHingeJacobian(lin.path, signs, lin);
            }
        }
        return lin;
    }

    /** The first node whose f or Jacobian is not finite, found node by node (only on the error path). */
    private int firstNonFiniteNode(double[][] x, double[] theta, double[] phi) {
        for (int k = 0; k < nodes; k++) {
            try {
                NodeJacobians one = NodeJacobians.compute(model, new double[][] {x[k]},
                        nu == 0 ? null : new double[][] {nodeInputs[k]}, new double[] {nodeTimes[k]}, theta, phi);
                if (!finite(one.f[0]) || !finite(one.dfdx[0]) || !finite(one.dfdtheta[0])) {
                    return k;
                }
            } catch (ArithmeticException e) {
                return k;
            }
        }
        return 0;
    }

    private static boolean finite(double[][] v) {
        for (double[] row : v) {
            if (!finite(row)) {
                return false;
            }
        }
        return true;
    }

    private void fillBlocks(NodeJacobians jac, Linearization lin) {
        int size = m * nx;
        double[][] d = radau.d();
        for (int i = 0; i < n; i++) {
            double h = mesh.h(i);
            double[][] e = new double[size][size];
            for (int j = 0; j < m; j++) {
                int node = i * m + j;
                for (int comp = 0; comp < nx; comp++) {
                    int row = j * nx + comp;
                    for (int k = 0; k < m; k++) {
                        e[row][k * nx + comp] = d[j][k + 1];
                    }
                    for (int c2 = 0; c2 < nx; c2++) {
                        e[row][j * nx + c2] -= h * jac.dfdx[node][comp][c2] * scale[c2] / scale[comp];
                    }
                    double gScale = -h / scale[comp];
                    int base = (node * nx + comp) * np;
                    double[] dth = jac.dfdtheta[node][comp];
                    for (int q = 0; q < nTheta; q++) {
                        lin.g[base + x0Cols + q] = gScale * dth[q];
                    }
                    for (int q = 0; q < phiIndex.length; q++) {
                        lin.g[base + x0Cols + nTheta + q] = gScale * jac.dfdphi[node][comp][phiIndex[q]];
                    }
                }
            }
            lin.e[i] = e;
        }
    }

    /** Path constraint values and gradients at every node: g [c][node], dg/dx̃ [c][node][nx] (scaled), dg/dθ [c][node][nθ]. */
    record PathRows(double[][] g, double[][][] dx, double[][][] dtheta) {}

    /** One autograd sweep per constraint on the batched g; the network's dependence on x and θ by the chain rule. */
    PathRows pathRows(double[][] x, NodeJacobians jac) {
        int nc = constraints.size();
        double[][] values = new double[nc][];
        double[][][] dx = new double[nc][nodes][nx];
        double[][][] dth = new double[nc][nodes][nTheta];
        for (int c = 0; c < nc; c++) {
            PathConstraint pc = constraints.get(c);
            Tensor xs = Tensor.of(Matrices.fromRows(x)).requireGrad(true);
            Tensor ys = Tensor.of(Matrices.fromRows(jac.y)).requireGrad(true);
            Tensor g = pc.g().apply(xs, ys);
            values[c] = Matrices.toFlat(g.value());
            INDArray[] grads = Autograd.grad(g, Nd4j.ones(DataType.DOUBLE, g.shape()), false, xs, ys);
            double[][] dgdx = grads[0] == null ? new double[nodes][nx] : Matrices.toRows(grads[0]);
            double[][] dgdy = grads[1] == null ? new double[nodes][jac.ny] : Matrices.toRows(grads[1]);
            for (int k = 0; k < nodes; k++) {
                for (int d = 0; d < nx; d++) {
                    double total = dgdx[k][d];
                    for (int yc = 0; yc < jac.ny; yc++) {
                        total += dgdy[k][yc] * jac.dydx[k][yc][d];
                    }
                    dx[c][k][d] = total * scale[d];
                }
                for (int yc = 0; yc < jac.ny; yc++) {
                    double w = dgdy[k][yc];
                    if (w != 0) {
                        for (int q = 0; q < nTheta; q++) {
                            dth[c][k][q] += w * jac.dydtheta[k][yc][q];
                        }
                    }
                }
            }
        }
        return new PathRows(values, dx, dth);
    }

    private void fillHingeJacobian(PathRows rows, double[] signs, Linearization lin) {
        double sq = Math.sqrt(hingePenalty);
        int row = dataIdx.length;
        for (int c = 0; c < constraints.size(); c++) {
            PathConstraint pc = constraints.get(c);
            int bounds = (Double.isFinite(pc.lo()) ? 1 : 0) + (Double.isFinite(pc.hi()) ? 1 : 0);
            for (int k = 0; k < nodes; k++) {
                for (int b = 0; b < bounds; b++) {
                    int h = row + k * bounds + b - dataIdx.length;
                    double sign = signs[h + dataIdx.length];
                    if (sign == 0) {
                        lin.hingeIdx[h] = new int[0];
                        lin.hingeCoef[h] = new double[0];
                        continue;
                    }
                    double w = sq * sign;
                    int[] idx = new int[nx];
                    double[] coef = new double[nx];
                    for (int d = 0; d < nx; d++) {
                        idx[d] = k * nx + d;
                        coef[d] = w * rows.dx()[c][k][d];
                    }
                    double[] pRow = new double[np];
                    for (int q = 0; q < nTheta; q++) {
                        pRow[x0Cols + q] = w * rows.dtheta()[c][k][q];
                    }
                    lin.hingeIdx[h] = idx;
                    lin.hingeCoef[h] = coef;
                    lin.hingeP[h] = pRow;
                }
            }
            row += nodes * bounds;
        }
    }

    /** Values at a point. */
    public static class Evaluation {
        public final double[] c;
        public final double[] r;
        public double f;
        public double cL1;
        public double cInf;
        public double regularisation;
        public int badNode = -1;

        Evaluation(int nc, int nr) {
            this.c = new double[nc];
            this.r = new double[nr];
        }

        void finish(double lambda, double[] theta) {
            double rr = 0;
            for (double v : r) {
                rr += v * v;
            }
            double tt = 0;
            for (double v : theta) {
                tt += v * v;
            }
            regularisation = 0.5 * lambda * tt;
            f = 0.5 * rr + regularisation;
            cL1 = 0;
            cInf = 0;
            for (double v : c) {
                cL1 += Math.abs(v);
                cInf = Math.max(cInf, Math.abs(v));
            }
        }
    }

    /**
     * Values plus the Jacobian blocks: E_i per interval (m·nx square), G rows per node component (−h/s·∂f/∂p,
     * flat [nX × np]), and the Jacobians of the active hinge rows (sparse in X, dense in p).
     */
    public static final class Linearization extends Evaluation {
        final double[][][] e;
        final double[] g;
        final int[][] hingeIdx;
        final double[][] hingeCoef;
        final double[][] hingeP;
        double[] theta;
        /** Path constraint values and gradients (null without constraints), for solvers that keep them hard. */
        PathRows path;

        Linearization(CollocationProblem p, int nc, int nr) {
            super(nc, nr);
            this.e = new double[p.n][][];
            this.g = new double[p.nX * p.np];
            this.hingeIdx = new int[p.hingeRows][];
            this.hingeCoef = new double[p.hingeRows][];
            this.hingeP = new double[p.hingeRows][];
        }
    }
}
