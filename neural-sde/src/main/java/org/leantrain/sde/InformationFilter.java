package org.leantrain.sde;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The exact backward recursion of the Euler chain X_{k+1} = F X_k + c + σ√Δt ξ (spec §2.3), F = I + AΔt, c = aΔt,
 * Q = σσᵀΔt: from P = ν = γ = 0 at K, with an observation jump at every observed index, down to 0; and the discrete
 * optimal control u_lin,k(x) = S_k⁻¹σᵀ(ν_{k+1} − P_{k+1}(F x + c)), S_k = I + Δt σᵀP_{k+1}σ. Only solves, no inverse
 * of I + PQ; P is symmetrised at every step.
 */
public final class InformationFilter {
    private InformationFilter() {}

    public static LinearControl solve(LinearPart lin, Diffusion s, Observations obs, TimeGrid grid, double[] x0) {
        int d = lin.dim();
        checkDims(lin, s, obs, x0);
        int steps = grid.steps();
        double dt = grid.dt();
        int[] observed = obs.observationAtStep(grid);
        EulerChain chain = EulerChain.of(lin, s, dt);
        double[][] f = chain.f();
        double[] c = chain.c();
        double[][] q = chain.q();
        double[][] sigma = s.matrix();
        double[][] sigmaT = Mat.transpose(sigma);
        double[][][] gains = new double[steps][][];
        double[][] offsets = new double[steps][];
        List<FilterState> states = new ArrayList<>();
        FilterState next = new FilterState(new double[d][d], new double[d], 0);
        if (observed[steps] >= 0) {
            next = next.jump(obs, observed[steps]);
        }
        states.add(next);
        for (int k = steps - 1; k >= 0; k--) {
            double[][] pNext = next.p();
            double[] nuNext = next.nu();
            // control of step k from P_{k+1}, ν_{k+1} (the off-by-one trap of §9)
            double[][] sMat = Mat.add(Mat.identity(s.noiseDim()), Mat.scale(Mat.mul(Mat.mul(sigmaT, pNext), sigma), dt));
            Mat.Lu sLu = new Mat.Lu(sMat);
            double[][] sigmaTp = Mat.mul(sigmaT, pNext);
            gains[k] = Mat.scale(sLu.solve(Mat.mul(sigmaTp, f)), -1);
            offsets[k] = sLu.solve(Mat.mul(sigmaT, Mat.add(nuNext, Mat.scale(Mat.mul(pNext, c), -1))));
            // P̃ = (I + P Q)⁻¹ P, ν̃ = (I + P Q)⁻¹ ν by solving
            Mat.Lu ipq = new Mat.Lu(Mat.add(Mat.identity(d), Mat.mul(pNext, q)));
            double[][] pTilde = ipq.solve(pNext);
            double[] nuTilde = ipq.solve(nuNext);
            double[][] p = Mat.symmetrise(Mat.mul(Mat.mul(Mat.transpose(f), pTilde), f));
            double[] nu = Mat.mul(Mat.transpose(f), Mat.add(nuTilde, Mat.scale(Mat.mul(pTilde, c), -1)));
            Mat.Lu iqp = new Mat.Lu(Mat.add(Mat.identity(d), Mat.mul(q, pNext)));
            double gamma = next.gamma() - 0.5 * iqp.logAbsDet()
                    + 0.5 * Mat.dot(nuNext, iqp.solve(Mat.mul(q, nuNext)))
                    - 0.5 * Mat.dot(c, Mat.mul(pTilde, c)) + Mat.dot(nuTilde, c);
            next = new FilterState(p, nu, gamma);
            if (observed[k] >= 0) {
                next = next.jump(obs, observed[k]);
            }
            states.add(next);
        }
        Collections.reverse(states);
        return new LinearControl(new AffineControl(gains, offsets), states.get(0).logEvidence(x0), states);
    }

    static void checkDims(LinearPart lin, Diffusion s, Observations obs, double[] x0) {
        int d = lin.dim();
        if (s.stateDim() != d || obs.stateDim() != d || x0.length != d) {
            throw new IllegalArgumentException("dimensions disagree: A is " + d + "×" + d + ", sigma has " + s.stateDim()
                    + " rows, H has " + obs.stateDim() + " columns, x0 has " + x0.length + " entries");
        }
        Mat.requireFinite(x0, "x0");
    }
}
