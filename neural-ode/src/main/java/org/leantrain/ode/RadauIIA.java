package org.leantrain.ode;

/**
 * The m-stage Radau IIA collocation method on flipped Legendre–Gauss–Radau points (c_m = 1, so the last stage is the
 * interval end). Every table is computed: c by Golub–Welsch (polished by Newton on P_{m−1} + P_m), A and b by
 * Gauss–Legendre quadrature of the Lagrange basis on c, and the differentiation matrix D on τ = (0, c_1..c_m) from
 * barycentric weights. Rows of {@code d} are the stages j = 1..m; columns k = 0..m.
 */
public record RadauIIA(int m, double[] c, double[] b, double[][] a, double[][] d, double[] baryWeights) {
    public static final int MAX_STAGES = 20;

    public static RadauIIA of(int m) {
        if (m < 1 || m > MAX_STAGES) {
            throw new IllegalArgumentException("Radau IIA stage count must be in 1.." + MAX_STAGES + ", got " + m);
        }
        double[] c = nodes(m);
        double[][] a = butcherMatrix(c);
        double[] tau = new double[m + 1];
        System.arraycopy(c, 0, tau, 1, m);
        double[] w = baryWeights(tau);
        double[][] d = new double[m][m + 1];
        for (int j = 1; j <= m; j++) {
            double diag = 0;
            for (int k = 0; k <= m; k++) {
                if (k != j) {
                    d[j - 1][k] = (w[k] / w[j]) / (tau[j] - tau[k]);
                    diag -= d[j - 1][k];
                }
            }
            d[j - 1][j] = diag;
        }
        return new RadauIIA(m, c, a[m - 1].clone(), a, d, w);
    }

    /** The m + 1 interpolation points τ = (0, c_1..c_m) of one interval. */
    public double[] tau() {
        double[] tau = new double[m + 1];
        System.arraycopy(c, 0, tau, 1, m);
        return tau;
    }

    /**
     * Lagrange weights ℓ̃_k(τ), k = 0..m, on (0, c_1..c_m): x(τ) = Σ_k ℓ̃_k(τ) x_k (barycentric form; exact at the
     * nodes themselves).
     */
    public double[] interpolationWeights(double t) {
        double[] tau = tau();
        double[] out = new double[m + 1];
        for (int k = 0; k <= m; k++) {
            if (t == tau[k]) {
                out[k] = 1;
                return out;
            }
        }
        double sum = 0;
        for (int k = 0; k <= m; k++) {
            out[k] = baryWeights[k] / (t - tau[k]);
            sum += out[k];
        }
        for (int k = 0; k <= m; k++) {
            out[k] /= sum;
        }
        return out;
    }

    static double[] nodes(int m) {
        double[] c = new double[m];
        c[m - 1] = 1;
        if (m == 1) {
            return c;
        }
        double[] diag = new double[m - 1];
        double[] off = new double[m - 2];
        for (int k = 0; k <= m - 2; k++) {
            diag[k] = -1.0 / ((2 * k + 1) * (2 * k + 3));
        }
        for (int k = 1; k <= m - 2; k++) {
            off[k - 1] = Math.sqrt(k * (k + 1.0)) / (2 * k + 1);
        }
        double[] x = OrthogonalPolynomials.tridiagonalEigenvalues(diag, off);
        for (int i = 0; i < m - 1; i++) {
            // Newton polish on the LGR polynomial g(y) = P_{m−1}(y) + P_m(y) at y = 1 − 2c (the unflipped root).
            double y = -x[i];
            for (int it = 0; it < 4; it++) {
                double[] p0 = OrthogonalPolynomials.legendre(m - 1, y);
                double[] p1 = OrthogonalPolynomials.legendre(m, y);
                double step = (p0[0] + p1[0]) / (p0[1] + p1[1]);
                y -= step;
                if (Math.abs(step) < 1e-17) {
                    break;
                }
            }
            c[i] = (1 - y) / 2;
        }
        java.util.Arrays.sort(c, 0, m - 1);
        return c;
    }

    /** A_jk = ∫_0^{c_j} ℓ_k(τ) dτ with ℓ_k the Lagrange basis on c (degree m − 1: m Gauss points are exact). */
    static double[][] butcherMatrix(double[] c) {
        int m = c.length;
        double[][] gl = OrthogonalPolynomials.gaussLegendre(m);
        double[][] a = new double[m][m];
        for (int j = 0; j < m; j++) {
            for (int q = 0; q < m; q++) {
                double t = c[j] * (1 + gl[0][q]) / 2;
                double wq = c[j] / 2 * gl[1][q];
                for (int k = 0; k < m; k++) {
                    a[j][k] += wq * lagrange(c, k, t);
                }
            }
        }
        return a;
    }

    private static double lagrange(double[] nodes, int k, double t) {
        double v = 1;
        for (int l = 0; l < nodes.length; l++) {
            if (l != k) {
                v *= (t - nodes[l]) / (nodes[k] - nodes[l]);
            }
        }
        return v;
    }

    static double[] baryWeights(double[] points) {
        double[] w = new double[points.length];
        for (int k = 0; k < points.length; k++) {
            double prod = 1;
            for (int l = 0; l < points.length; l++) {
                if (l != k) {
                    prod *= points[k] - points[l];
                }
            }
            w[k] = 1 / prod;
        }
        return w;
    }
}
