package org.leantrain.rag;

/**
 * Decoding settings: temperature τ (> 0; greedy is a separate explicit choice), top-k (0 = off), top-p in (0, 1]
 * (1 = off) and the maximum number of new tokens.
 */
public record SamplingConfig(double temperature, int topK, double topP, int maxNewTokens) {
    public SamplingConfig {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0 (use greedy decoding explicitly), got "
                    + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be ≥ 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be ≥ 1, got " + maxNewTokens);
        }
    }

    /** RL rollouts: τ = 0.9, no truncation. */
    public static SamplingConfig rollout(int maxNewTokens) {
        return new SamplingConfig(0.9, 0, 1.0, maxNewTokens);
    }

    /** Evaluation (the paper's decoding): τ = 0.7, top-k 20, top-p 0.8. */
    public static SamplingConfig evaluation(int maxNewTokens) {
        return new SamplingConfig(0.7, 20, 0.8, maxNewTokens);
    }
}
