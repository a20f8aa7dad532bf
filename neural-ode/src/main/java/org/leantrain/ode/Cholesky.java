package org.leantrain.ode;

/** Cholesky factorisation and solve of a symmetric positive definite matrix (the condensed normal matrix). */
final class Cholesky {
    private Cholesky() {}

    /** Solves H·x = b; H is overwritten by its factor. Throws when H is not numerically positive definite. */
    static double[] solve(double[][] h, double[] b) {
        int n = b.length;
        for (int j = 0; j < n; j++) {
            double[] hj = h[j];
            double d = hj[j];
            for (int k = 0; k < j; k++) {
                d -= hj[k] * hj[k];
            }
            if (!(d > 0)) {
                throw new ArithmeticException("normal matrix not positive definite at column " + j + " (" + d + ")");
            }
            double ljj = Math.sqrt(d);
            hj[j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double[] hi = h[i];
                double s = hi[j];
                for (int k = 0; k < j; k++) {
                    s -= hi[k] * hj[k];
                }
                hi[j] = s / ljj;
            }
        }
        return solveFactored(h, b);
    }

    /** Solves with a factor left in the lower triangle of h by {@link #solve}. */
    static double[] solveFactored(double[][] h, double[] b) {
        int n = b.length;
        double[] x = b.clone();
        for (int i = 0; i < n; i++) {
            double s = x[i];
            for (int k = 0; k < i; k++) {
                s -= h[i][k] * x[k];
            }
            x[i] = s / h[i][i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = x[i];
            for (int k = i + 1; k < n; k++) {
                s -= h[k][i] * x[k];
            }
            x[i] = s / h[i][i];
        }
        return x;
    }
}
