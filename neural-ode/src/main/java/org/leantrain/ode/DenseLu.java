package org.leantrain.ode;

/**
 * LU with partial pivoting of a small dense square matrix (a collocation block E_i, m·nx ≤ ~40), refusing a pivot
 * below 1e-12·‖E‖ (max-abs) with a message that points at the mesh.
 */
final class DenseLu {
    private final double[][] lu;
    private final int[] perm;

    DenseLu(double[][] a, String what) {
        int n = a.length;
        this.lu = new double[n][];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            lu[i] = a[i].clone();
            for (double v : a[i]) {
                norm = Math.max(norm, Math.abs(v));
            }
        }
        this.perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int k = 0; k < n; k++) {
            int best = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(lu[i][k]) > Math.abs(lu[best][k])) {
                    best = i;
                }
            }
            if (!(Math.abs(lu[best][k]) > 1e-12 * norm)) {
                throw new IllegalStateException(what + " is singular (pivot " + lu[best][k] + " at column " + k
                        + ", ‖E‖ = " + norm + "): the mesh is too coarse for the stiffness there, or the model's"
                        + " Jacobian is not finite; refine the mesh (smaller intervals) or check the model");
            }
            double[] tmp = lu[k];
            lu[k] = lu[best];
            lu[best] = tmp;
            int tp = perm[k];
            perm[k] = perm[best];
            perm[best] = tp;
            double pivot = lu[k][k];
            for (int i = k + 1; i < n; i++) {
                double factor = lu[i][k] / pivot;
                lu[i][k] = factor;
                if (factor != 0) {
                    for (int j = k + 1; j < n; j++) {
                        lu[i][j] -= factor * lu[k][j];
                    }
                }
            }
        }
    }

    /** Solves A·X = B in place for B [n][cols]. */
    void solveInPlace(double[][] b) {
        int n = lu.length;
        int cols = b[0].length;
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = b[perm[i]];
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < i; k++) {
                double f = lu[i][k];
                if (f != 0) {
                    double[] xi = x[i];
                    double[] xk = x[k];
                    for (int c = 0; c < cols; c++) {
                        xi[c] -= f * xk[c];
                    }
                }
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            double[] xi = x[i];
            for (int k = i + 1; k < n; k++) {
                double f = lu[i][k];
                if (f != 0) {
                    double[] xk = x[k];
                    for (int c = 0; c < cols; c++) {
                        xi[c] -= f * xk[c];
                    }
                }
            }
            double inv = 1 / lu[i][i];
            for (int c = 0; c < cols; c++) {
                xi[c] *= inv;
            }
        }
        double[][] copy = x.clone();
        for (int i = 0; i < n; i++) {
            b[i] = copy[i];
        }
    }
}
