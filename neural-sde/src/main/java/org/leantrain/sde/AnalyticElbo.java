package org.leantrain.sde;

/**
 * The exact ELBO of an affine control on a linear prior's Euler chain, by propagating the mean and covariance of
 * the controlled chain (spec §2.3): m_{k+1} = Φ m + c + σgΔt, V_{k+1} = Φ V Φᵀ + Q with Φ = F + σKΔt;
 * E‖u_k‖² = ‖K m + g‖² + tr(K V Kᵀ); E log N(O; HX, R) = log N(O; Hm, R) − ½ tr(R⁻¹HVHᵀ).
 */
public final class AnalyticElbo {
    private AnalyticElbo() {}

    /** The ELBO and the controlled chain's marginals m_k, V_k for k = 0..K. */
    public record Moments(double elbo, double kl, double logLikelihood, double[][] means, double[][][] covariances) {}

    public static double of(LinearPart lin, Diffusion s, Observations obs, TimeGrid grid, double[] x0, AffineControl u) {
        return moments(lin, s, obs, grid, x0, u).elbo();
    }

    public static Moments moments(LinearPart lin, Diffusion s, Observations obs, TimeGrid grid, double[] x0,
            AffineControl u) {
        InformationFilter.checkDims(lin, s, obs, x0);
        if (u.steps() != grid.steps()) {
            throw new IllegalArgumentException("the control has " + u.steps() + " steps, the grid " + grid.steps());
        }
        int d = lin.dim();
        int steps = grid.steps();
        double dt = grid.dt();
        int[] observed = obs.observationAtStep(grid);
        EulerChain chain = EulerChain.of(lin, s, dt);
        double[][] f = chain.f();
        double[] c = chain.c();
        double[][] q = chain.q();
        double[][] sigma = s.matrix();
        double[][] h = obs.h();
        double[][] rInv = new Mat.Lu(obs.r()).solve(Mat.identity(obs.dim()));
        double logNormConst = -0.5 * new Mat.Lu(Mat.scale(obs.r(), 2 * Math.PI)).logAbsDet();
        double[][] means = new double[steps + 1][];
        double[][][] covs = new double[steps + 1][][];
        double[] m = x0.clone();
        double[][] v = new double[d][d];
        means[0] = m;
        covs[0] = v;
        double kl = 0;
        double loglik = 0;
        for (int k = 0; k < steps; k++) {
            double[][] gain = u.gains()[k];
            double[] g = u.offsets()[k];
            double[] mean = Mat.add(Mat.mul(gain, m), g);
            kl += 0.5 * dt * (Mat.dot(mean, mean) + Mat.trace(Mat.mul(Mat.mul(gain, v), Mat.transpose(gain))));
            double[][] phi = Mat.add(f, Mat.scale(Mat.mul(sigma, gain), dt));
            m = Mat.add(Mat.add(Mat.mul(phi, m), c), Mat.scale(Mat.mul(sigma, g), dt));
            v = Mat.symmetrise(Mat.add(Mat.mul(Mat.mul(phi, v), Mat.transpose(phi)), q));
            means[k + 1] = m;
            covs[k + 1] = v;
            if (observed[k + 1] >= 0) {
                double[] resid = Mat.add(obs.values()[observed[k + 1]], Mat.scale(Mat.mul(h, m), -1));
                loglik += logNormConst - 0.5 * Mat.dot(resid, Mat.mul(rInv, resid))
                        - 0.5 * Mat.trace(Mat.mul(rInv, Mat.mul(Mat.mul(h, v), Mat.transpose(h))));
            }
        }
        return new Moments(loglik - kl, kl, loglik, means, covs);
    }
}
