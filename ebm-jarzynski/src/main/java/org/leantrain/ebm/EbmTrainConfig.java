package org.leantrain.ebm;

/**
 * Everything that defines one EBM training run besides the model, data and optimizers.
 *
 * @param regAlpha       α_reg of the surrogate loss (0.01 in the authors' image runs, 0 for the GMM)
 * @param cdSteps        k, ULA steps per update of CD
 * @param cdRestartEvery CD chains restart from data every this many updates (1 = classic CD-k)
 * @param pcdInit        where PCD walkers start
 * @param clipNorm       global gradient-norm clip, 0 = off
 */
public record EbmTrainConfig(SamplingMethod method, WeightScheme scheme, UlaConfig ula, WalkerConfig walkers,
                             ResamplingConfig resampling, double regAlpha, int cdSteps, int cdRestartEvery,
                             WalkerInit pcdInit, double clipNorm, long seed) {
    public EbmTrainConfig {
        if (method == null || scheme == null || ula == null || walkers == null || resampling == null
                || pcdInit == null) {
            throw new IllegalArgumentException("method, scheme, ula, walkers, resampling and pcdInit must be set");
        }
        if (!(regAlpha >= 0) || !Double.isFinite(regAlpha)) {
            throw new IllegalArgumentException("regAlpha must be >= 0, got " + regAlpha);
        }
        if (cdSteps < 1) {
            throw new IllegalArgumentException("cdSteps must be >= 1, got " + cdSteps);
        }
        if (cdRestartEvery < 1) {
            throw new IllegalArgumentException("cdRestartEvery must be >= 1, got " + cdRestartEvery);
        }
        if (!(clipNorm >= 0)) {
            throw new IllegalArgumentException("clipNorm must be >= 0 (0 = off), got " + clipNorm);
        }
    }

    /** PAPER ordering, one ULA step of every walker per update, systematic resampling at ESS < τN, no regularizer. */
    public static EbmTrainConfig paper(SamplingMethod method, UlaConfig ula, int numWalkers, double essThreshold,
                                       long seed) {
        return new EbmTrainConfig(method, WeightScheme.PAPER, ula, WalkerConfig.paper(numWalkers),
                ResamplingConfig.systematic(essThreshold), 0, 1, 1, WalkerInit.DATA, 0, seed);
    }

    public EbmTrainConfig withCd(int steps, int restartEvery) {
        return new EbmTrainConfig(method, scheme, ula, walkers, resampling, regAlpha, steps, restartEvery, pcdInit,
                clipNorm, seed);
    }
}
