package org.leantrain.sde;

import org.leantrain.core.tensor.Autograd;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** A linear drift A x + a: the prior itself when it is linear, else the surrogate the control is built from (§2.4). */
public record LinearPart(double[][] a, double[] offset) {
    public LinearPart {
        if (a == null || a.length == 0) {
            throw new IllegalArgumentException("A must be a non-empty d×d matrix");
        }
        Mat.requireShape(a, a.length, a.length, "A");
        Mat.requireFinite(a, "A");
        if (offset == null || offset.length != a.length) {
            throw new IllegalArgumentException("offset a must have d = " + a.length + " entries");
        }
        Mat.requireFinite(offset, "offset a");
        a = Mat.copy(a);
        offset = offset.clone();
    }

    public static LinearPart scalar(double a, double offset) {
        return new LinearPart(new double[][] {{a}}, new double[] {offset});
    }

    public int dim() {
        return a.length;
    }

    @Override
    public double[][] a() {
        return Mat.copy(a);
    }

    @Override
    public double[] offset() {
        return offset.clone();
    }

    /**
     * LEAST_SQUARES surrogate (§2.4 iii): ordinary least squares of b on x over a uniform grid of the box [lo, hi]^d
     * (points per dimension for d = 1; ⌈points^(1/d)⌉ per dimension otherwise), at t = 0, one row of A per output.
     */
    public static LinearPart leastSquares(Drift b, int dim, double lo, double hi, int points) {
        if (!(hi > lo) || points < 2) {
            throw new IllegalArgumentException("least squares needs hi > lo and >= 2 points, got [" + lo + ", " + hi
                    + "], " + points);
        }
        int perDim = dim == 1 ? points : (int) Math.ceil(Math.pow(points, 1.0 / dim));
        int n = (int) Math.pow(perDim, dim);
        double[][] xs = new double[n][dim];
        for (int p = 0; p < n; p++) {
            for (int j = 0, rest = p; j < dim; j++, rest /= perDim) {
                xs[p][j] = lo + (hi - lo) * (rest % perDim) / (perDim - 1);
            }
        }
        double[][] bs;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            bs = b.eval(Tensor.of(Nd4j.createFromArray(xs)), 0).value().toDoubleMatrix();
        }
        // normal equations of [x, 1] → b_j for every output j: (ZᵀZ) w_j = Zᵀ b_j
        double[][] ztz = new double[dim + 1][dim + 1];
        double[][] ztb = new double[dim + 1][dim];
        for (int p = 0; p < n; p++) {
            double[] z = new double[dim + 1];
            System.arraycopy(xs[p], 0, z, 0, dim);
            z[dim] = 1;
            for (int i = 0; i <= dim; i++) {
                for (int j = 0; j <= dim; j++) {
                    ztz[i][j] += z[i] * z[j];
                }
                for (int j = 0; j < dim; j++) {
                    ztb[i][j] += z[i] * bs[p][j];
                }
            }
        }
        double[][] w = new Mat.Lu(ztz).solve(ztb); // (d+1) × d
        double[][] a = new double[dim][dim];
        double[] offset = new double[dim];
        for (int out = 0; out < dim; out++) {
            for (int in = 0; in < dim; in++) {
                a[out][in] = w[in][out];
            }
            offset[out] = w[dim][out];
        }
        return new LinearPart(a, offset);
    }

    /** JACOBIAN_AT surrogate (§2.4 ii): A = ∂b/∂x(x_ref), a = b(x_ref) − A x_ref, by autograd at t = 0. */
    public static LinearPart jacobianAt(Drift b, double[] xRef) {
        int d = xRef.length;
        double[][] a = new double[d][];
        double[] value;
        Tensor x = Tensor.of(Nd4j.createFromArray(new double[][] {xRef})).requireGrad(true);
        value = b.eval(x, 0).value().toDoubleVector();
        for (int out = 0; out < d; out++) {
            Tensor bx = b.eval(x, 0);
            double[] row = new double[d];
            row[out] = 1;
            a[out] = Autograd.grad(bx, Nd4j.createFromArray(new double[][] {row}).castTo(DataType.DOUBLE), false, x)[0]
                    .toDoubleVector();
        }
        double[] offset = Mat.add(value, Mat.scale(Mat.mul(a, xRef), -1));
        return new LinearPart(a, offset);
    }
}
