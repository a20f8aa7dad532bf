package org.leantrain.sde;

/**
 * The Euler chain of a linear prior on a grid of step Δt (spec §2.3): X_{k+1} = F X_k + c + N(0, Q) with
 * F = I + AΔt, c = aΔt, Q = σσᵀΔt.
 */
record EulerChain(double[][] f, double[] c, double[][] q) {
    static EulerChain of(LinearPart lin, Diffusion s, double dt) {
        return new EulerChain(Mat.add(Mat.identity(lin.dim()), Mat.scale(lin.a(), dt)), Mat.scale(lin.offset(), dt),
                Mat.scale(s.covariance(), dt));
    }
}
