package org.leantrain.rag;

/**
 * Stage 2 settings (spec §4): variant, steps, P queries × G samples per step, KL weight β, clip ε, μ updates per
 * rollout batch, AdamW lr / weight decay, gradient-norm clip, rollout temperature, rollout fusion mode, reward
 * Recall@k, and whether advantages are divided by the group's standard deviation.
 */
public record GrpoConfig(GrpoObjective.Variant variant, int steps, int queriesPerStep, int groupSize, double beta,
        double clipEps, int innerUpdates, double lr, double weightDecay, double maxGradNorm, double temperature,
        FusionMode rolloutMode, int rewardK, boolean stdNormalisation) {
    public GrpoConfig {
        if (groupSize < 2) {
            throw new IllegalArgumentException("GRPO needs a group of G ≥ 2 samples, got " + groupSize);
        }
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("β must be ≥ 0, got " + beta);
        }
        if (!(clipEps > 0 && clipEps < 1)) {
            throw new IllegalArgumentException("ε must be in (0, 1), got " + clipEps);
        }
        if (steps < 1 || queriesPerStep < 1 || innerUpdates < 1 || !(lr > 0) || rewardK < 1 || !(temperature > 0)) {
            throw new IllegalArgumentException("GRPO needs steps, P, μ, reward k ≥ 1, lr > 0, τ > 0: " + this);
        }
    }

    /** The spec's quick stage 2: 60 steps, P = 8, G = 8, β = 0.04, ε = 0.2, μ = 1, AdamW 3e-4 / 0.1, τ = 0.9, MSLF. */
    public static GrpoConfig quick(GrpoObjective.Variant variant) {
        return new GrpoConfig(variant, 60, 8, 8, 0.04, 0.2, 1, 3e-4, 0.1, 1.0, 0.9, FusionMode.MSLF, 10,
                variant == GrpoObjective.Variant.GRPO);
    }

    public GrpoConfig withSteps(int s) {
        return new GrpoConfig(variant, s, queriesPerStep, groupSize, beta, clipEps, innerUpdates, lr, weightDecay,
                maxGradNorm, temperature, rolloutMode, rewardK, stdNormalisation);
    }

    public GrpoConfig withRolloutMode(FusionMode m) {
        return new GrpoConfig(variant, steps, queriesPerStep, groupSize, beta, clipEps, innerUpdates, lr, weightDecay,
                maxGradNorm, temperature, m, rewardK, stdNormalisation);
    }
}
