package org.leantrain.sde;

/**
 * A drift that can also be evaluated and differentiated on plain arrays (states row-major [M·d]), so the ELBO can
 * be rolled out by {@link FusedRollout} without one tape node per op and step. Must agree with {@link #eval}.
 */
public interface ExplicitDrift extends Drift {
    /** out[m·d + i] = b_i(x_m, t). */
    void value(double[] x, int paths, double t, double[] out);

    /** gx[m] += (∂b/∂x(x_m))ᵀ g[m] per path; gParams[p] += Σ_m g[m]·∂b(x_m)/∂θ_p for the learned parameters. */
    void backward(double[] x, int paths, double t, double[] g, double[] gx, double[] gParams);
}
