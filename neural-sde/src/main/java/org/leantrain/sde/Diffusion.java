package org.leantrain.sde;

/** The constant noise matrix σ (d × d_w, full column rank d_w ≤ d) of prior and posterior (spec §2.1). */
public record Diffusion(double[][] sigma) {
    public Diffusion {
        if (sigma == null || sigma.length == 0 || sigma[0] == null || sigma[0].length == 0) {
            throw new IllegalArgumentException("sigma must be a non-empty d×d_w matrix");
        }
        Mat.requireShape(sigma, sigma.length, sigma[0].length, "sigma");
        Mat.requireFinite(sigma, "sigma");
        if (sigma[0].length > sigma.length) {
            throw new IllegalArgumentException("sigma is " + sigma.length + "×" + sigma[0].length
                    + "; it needs d_w <= d columns");
        }
        if (!Mat.wellConditionedSpd(Mat.mul(Mat.transpose(sigma), sigma))) {
            throw new IllegalArgumentException("sigma must have full column rank (a diagonal sigma needs every entry "
                    + "> 0 or < 0, not 0)");
        }
        sigma = Mat.copy(sigma);
    }

    /** σ = diag(s_1..s_d), every s_i ≠ 0. */
    public static Diffusion diag(double... s) {
        double[][] m = new double[s.length][s.length];
        for (int i = 0; i < s.length; i++) {
            if (!(s[i] > 0)) {
                throw new IllegalArgumentException("diffusion entry " + i + " must be > 0, got " + s[i]);
            }
            m[i][i] = s[i];
        }
        return new Diffusion(m);
    }

    public int stateDim() {
        return sigma.length;
    }

    public int noiseDim() {
        return sigma[0].length;
    }

    @Override
    public double[][] sigma() {
        return Mat.copy(sigma);
    }

    /** σσᵀ. */
    double[][] covariance() {
        return Mat.mul(sigma, Mat.transpose(sigma));
    }

    double[][] matrix() {
        return sigma;
    }
}
