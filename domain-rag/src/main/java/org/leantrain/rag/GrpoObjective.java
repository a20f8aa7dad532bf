package org.leantrain.rag;

import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GRPO objective of spec §2 for one group of G completions: group-relative advantages, the clipped importance
 * ratio per token, Schulman's k3 estimate of KL(π_θ‖π_ref), masked and normalised per completion (GRPO: by its own
 * length; Dr.GRPO: by a constant maximum length).
 */
public final class GrpoObjective {
    public enum Variant { GRPO, DR_GRPO }

    private GrpoObjective() {}

    /**
     * A_i = (R_i − mean R) / (std R + 1e-4) with the sample standard deviation (divisor G − 1), or R_i − mean R when
     * {@code normaliseByStd} is false (Dr.GRPO). Equal rewards give exactly zero advantages.
     */
    public static double[] advantages(double[] rewards, boolean normaliseByStd) {
        if (rewards.length < 2) {
            throw new IllegalArgumentException("a GRPO group needs G ≥ 2 samples for its statistics, got "
                    + rewards.length);
        }
        double mean = 0;
        for (double r : rewards) {
            if (!Double.isFinite(r)) {
                throw new IllegalArgumentException("reward " + r + " is not finite");
            }
            mean += r;
        }
        mean /= rewards.length;
        double var = 0;
        for (double r : rewards) {
            var += (r - mean) * (r - mean);
        }
        double std = Math.sqrt(var / (rewards.length - 1));
        double[] a = new double[rewards.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = normaliseByStd ? (rewards[i] - mean) / (std + 1e-4) : rewards[i] - mean;
        }
        return a;
    }

    public static double[] advantages(double[] rewards, Variant v) {
        return advantages(rewards, v == Variant.GRPO);
    }

    /** k3 = exp(log π_ref − log π) − (log π_ref − log π) − 1 (≥ 0, 0 iff equal), the difference clamped to ±20. */
    public static double k3(double logpPolicy, double logpRef) {
        double d = Math.max(-20, Math.min(20, logpRef - logpPolicy));
        return Math.exp(d) - d - 1;
    }

    /**
     * J = (1/G) Σ_i (1/norm_i) Σ_t mask_{i,t} (min(ρA_i, clip(ρ, 1 − ε, 1 + ε)A_i) − β·k3_t) on [G, T] token log-probs:
     * {@code logp} under π_θ (on the tape), {@code logpOld} under the sampling policy and {@code logpRef} under the
     * frozen reference (constants), {@code mask} 1 on completion tokens.
     */
    public static Tensor objective(Tensor logp, INDArray logpOld, INDArray logpRef, INDArray mask, double[] advantages,
            double[] norm, double beta, double eps) {
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("KL weight β must be ≥ 0, got " + beta);
        }
        if (!(eps > 0 && eps < 1)) {
            throw new IllegalArgumentException("clip range ε must be in (0, 1), got " + eps);
        }
        long g = logp.size(0);
        if (advantages.length != g || norm.length != g) {
            throw new IllegalArgumentException(g + " completions but " + advantages.length + " advantages and "
                    + norm.length + " normalisers");
        }
        INDArray adv = Nd4j.create(advantages, new long[] {g, 1}, 'c').castTo(logp.dataType());
        Tensor a = Tensor.of(adv);
        Tensor ratio = logp.sub(Tensor.of(logpOld)).exp();
        Tensor unclipped = ratio.mul(a);
        Tensor clipped = ratio.clamp(1 - eps, 1 + eps).mul(a);
        Tensor surrogate = clipped.sub(clipped.sub(unclipped).relu()); // min(unclipped, clipped)
        Tensor perToken = surrogate;
        if (beta > 0) {
            Tensor d = Tensor.of(logpRef).sub(logp).clamp(-20, 20);
            Tensor kl = d.exp().sub(d).sub(1);
            perToken = surrogate.sub(kl.mul(beta));
        }
        double[] w = new double[(int) g];
        for (int i = 0; i < g; i++) {
            if (!(norm[i] > 0)) {
                throw new IllegalArgumentException("completion normaliser must be > 0, got " + norm[i]);
            }
            w[i] = 1.0 / (g * norm[i]);
        }
        INDArray weights = mask.mul(Nd4j.create(w, new long[] {g, 1}, 'c').castTo(mask.dataType()));
        return perToken.mul(Tensor.of(weights.castTo(logp.dataType()))).sum();
    }
}
