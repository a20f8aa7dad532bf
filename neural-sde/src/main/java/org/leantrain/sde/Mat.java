package org.leantrain.sde;

/**
 * Dense double matrices as double[rows][cols] for the filter's small d×d algebra (d ≤ a few dozen), where ND4J's
 * per-op overhead would dominate. Every method returns a new array.
 */
final class Mat {
    private Mat() {}

    static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    static double[][] zeros(int r, int c) {
        return new double[r][c];
    }

    static double[][] copy(double[][] a) {
        double[][] m = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            m[i] = a[i].clone();
        }
        return m;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    static double[][] mul(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        int inner = b.length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < inner; k++) {
                double aik = a[i][k];
                for (int j = 0; j < m; j++) {
                    c[i][j] += aik * b[k][j];
                }
            }
        }
        return c;
    }

    static double[] mul(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += a[i][j] * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    static double[][] add(double[][] a, double[][] b) {
        double[][] c = copy(a);
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] += b[i][j];
            }
        }
        return c;
    }

    static double[][] scale(double[][] a, double s) {
        double[][] c = copy(a);
        for (double[] row : c) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= s;
            }
        }
        return c;
    }

    static double[] add(double[] a, double[] b) {
        double[] c = a.clone();
        for (int i = 0; i < a.length; i++) {
            c[i] += b[i];
        }
        return c;
    }

    static double[] scale(double[] a, double s) {
        double[] c = a.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] *= s;
        }
        return c;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double trace(double[][] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i][i];
        }
        return s;
    }

    static double[][] symmetrise(double[][] a) {
        double[][] s = copy(a);
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < i; j++) {
                double m = 0.5 * (a[i][j] + a[j][i]);
                s[i][j] = m;
                s[j][i] = m;
            }
        }
        return s;
    }

    /** LU factorisation with partial pivoting of a square matrix. */
    static final class Lu {
        private final double[][] lu;
        private final int[] perm;
        private final double sign;

        Lu(double[][] a) {
            int n = a.length;
            lu = copy(a);
            perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            double s = 1;
            for (int col = 0; col < n; col++) {
                int pivot = col;
                for (int r = col + 1; r < n; r++) {
                    if (Math.abs(lu[r][col]) > Math.abs(lu[pivot][col])) {
                        pivot = r;
                    }
                }
                if (lu[pivot][col] == 0) {
                    throw new ArithmeticException("singular matrix in a linear solve");
                }
                if (pivot != col) {
                    double[] t = lu[pivot];
                    lu[pivot] = lu[col];
                    lu[col] = t;
                    int p = perm[pivot];
                    perm[pivot] = perm[col];
                    perm[col] = p;
                    s = -s;
                }
                for (int r = col + 1; r < n; r++) {
                    double f = lu[r][col] / lu[col][col];
                    lu[r][col] = f;
                    for (int c = col + 1; c < n; c++) {
                        lu[r][c] -= f * lu[col][c];
                    }
                }
            }
            sign = s;
        }

        double[] solve(double[] b) {
            int n = lu.length;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                double s = b[perm[i]];
                for (int j = 0; j < i; j++) {
                    s -= lu[i][j] * x[j];
                }
                x[i] = s;
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = x[i];
                for (int j = i + 1; j < n; j++) {
                    s -= lu[i][j] * x[j];
                }
                x[i] = s / lu[i][i];
            }
            return x;
        }

        /** Solves A X = B column by column. */
        double[][] solve(double[][] b) {
            double[][] bt = transpose(b);
            double[][] xt = new double[bt.length][];
            for (int j = 0; j < bt.length; j++) {
                xt[j] = solve(bt[j]);
            }
            return transpose(xt);
        }

        /** log|det A| (the filter's matrices I + QP have positive determinant). */
        double logAbsDet() {
            double s = 0;
            for (int i = 0; i < lu.length; i++) {
                s += Math.log(Math.abs(lu[i][i]));
            }
            return s;
        }

        double determinantSign() {
            double s = sign;
            for (int i = 0; i < lu.length; i++) {
                s *= Math.signum(lu[i][i]);
            }
            return s;
        }
    }

    /** Lower Cholesky factor of a symmetric positive definite matrix, or null when it is not SPD. */
    static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        return null;
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /** Symmetric positive definite with every Cholesky pivot above 1e-12 of the largest diagonal entry. */
    static boolean wellConditionedSpd(double[][] a) {
        double[][] l = cholesky(a);
        if (l == null) {
            return false;
        }
        double maxDiag = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiag = Math.max(maxDiag, a[i][i]);
        }
        for (int i = 0; i < a.length; i++) {
            if (l[i][i] * l[i][i] < 1e-12 * maxDiag) {
                return false;
            }
        }
        return true;
    }

    /** L⁻¹ for a lower-triangular L. */
    static double[][] lowerInverse(double[][] l) {
        int n = l.length;
        double[][] inv = new double[n][n];
        for (int col = 0; col < n; col++) {
            for (int i = 0; i < n; i++) {
                double s = i == col ? 1 : 0;
                for (int k = 0; k < i; k++) {
                    s -= l[i][k] * inv[k][col];
                }
                inv[i][col] = s / l[i][i];
            }
        }
        return inv;
    }

    static void requireFinite(double[][] a, String what) {
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                if (!Double.isFinite(a[i][j])) {
                    throw new IllegalArgumentException(what + " entry (" + i + ", " + j + ") is " + a[i][j]
                            + "; values must be finite");
                }
            }
        }
    }

    static void requireFinite(double[] a, String what) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException(what + " entry " + i + " is " + a[i] + "; values must be finite");
            }
        }
    }

    static void requireShape(double[][] a, int rows, int cols, String what) {
        if (a == null || a.length != rows) {
            throw new IllegalArgumentException(what + " must have " + rows + " rows, got "
                    + (a == null ? "null" : a.length));
        }
        for (int i = 0; i < rows; i++) {
            if (a[i] == null || a[i].length != cols) {
                throw new IllegalArgumentException(what + " must be " + rows + "×" + cols + ": row " + i + " has "
                        + (a[i] == null ? 0 : a[i].length) + " entries");
            }
        }
    }
}
