package org.leantrain.sde;

/**
 * Variational training settings (spec §4, §7 defaults: M = 64, M_eval = 1024, eval every 25, Adam lr 1e-2, clip 10,
 * MLP (d+2)-64-64-d_w).
 */
public record SdeTrainConfig(int iters, int batchPaths, int evalPaths, int evalEvery, double lr, double clip, long seed,
        int hidden, int layers) {
    public SdeTrainConfig {
        require(iters >= 0, "iters", iters, ">= 0");
        require(batchPaths >= 1, "batchPaths", batchPaths, ">= 1");
        require(evalPaths >= 1, "evalPaths", evalPaths, ">= 1");
        require(evalEvery >= 1, "evalEvery", evalEvery, ">= 1");
        require(lr > 0 && Double.isFinite(lr), "lr", lr, "> 0 and finite");
        require(clip > 0, "clip", clip, "> 0 (use +infinity for no clipping)");
        require(hidden >= 1 && layers >= 1, "hidden/layers", hidden + "/" + layers, ">= 1");
    }

    private static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(field + " must be " + rule + ", got " + value);
        }
    }

    public static SdeTrainConfig quick(int iters, double lr, long seed) {
        return new SdeTrainConfig(iters, 64, 1024, 25, lr, 10, seed, 64, 2);
    }

    public SdeTrainConfig withIters(int n) {
        return new SdeTrainConfig(n, batchPaths, evalPaths, evalEvery, lr, clip, seed, hidden, layers);
    }
}
