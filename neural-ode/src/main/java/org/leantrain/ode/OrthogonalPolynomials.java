package org.leantrain.ode;

/** Legendre polynomials and the symmetric eigenvalue solve behind Golub–Welsch node computations. */
final class OrthogonalPolynomials {
    private OrthogonalPolynomials() {}

    /** {P_n(x), P_n'(x)} by the three-term recurrence. */
    static double[] legendre(int n, double x) {
        if (n == 0) {
            return new double[] {1, 0};
        }
        double p0 = 1;
        double p1 = x;
        double d0 = 0;
        double d1 = 1;
        for (int k = 1; k < n; k++) {
            double p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
            double d2 = d0 + (2 * k + 1) * p1;
            p0 = p1;
            p1 = p2;
            d0 = d1;
            d1 = d2;
        }
        return new double[] {p1, d1};
    }

    /** Gauss–Legendre nodes and weights on [−1, 1]: {nodes, weights}, exact for polynomials of degree ≤ 2n − 1. */
    static double[][] gaussLegendre(int n) {
        double[] diag = new double[n];
        double[] off = new double[Math.max(0, n - 1)];
        for (int k = 1; k < n; k++) {
            off[k - 1] = k / Math.sqrt(4.0 * k * k - 1);
        }
        double[] x = tridiagonalEigenvalues(diag, off);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            for (int it = 0; it < 3; it++) {
                double[] p = legendre(n, x[i]);
                x[i] -= p[0] / p[1];
            }
            double d = legendre(n, x[i])[1];
            w[i] = 2 / ((1 - x[i] * x[i]) * d * d);
        }
        return new double[][] {x, w};
    }

    /**
     * Eigenvalues, ascending, of the symmetric tridiagonal matrix with the given diagonal and off-diagonal, by cyclic
     * Jacobi rotations on the dense matrix (sizes here are ≤ 20, where accuracy matters more than speed).
     */
    static double[] tridiagonalEigenvalues(double[] diag, double[] off) {
        int n = diag.length;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = diag[i];
            if (i + 1 < n) {
                a[i][i + 1] = off[i];
                a[i + 1][i] = off[i];
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double offNorm = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    offNorm += a[p][q] * a[p][q];
                }
            }
            if (offNorm < 1e-40) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) {
            ev[i] = a[i][i];
        }
        java.util.Arrays.sort(ev);
        return ev;
    }
}
