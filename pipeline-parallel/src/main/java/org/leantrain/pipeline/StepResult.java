package org.leantrain.pipeline;

/**
 * What one training step reports.
 *
 * @param loss           Σ_m ω_m·𝓛_m, the loss of the whole mini-batch
 * @param peakSavedBytes per stage: the peak of bytes held for backward (tape) plus boundary inputs kept for recompute
 * @param trace          when every op ran
 */
public record StepResult(double loss, long[] peakSavedBytes, Trace trace) {
    public StepResult {
        peakSavedBytes = peakSavedBytes.clone();
    }

    @Override
    public long[] peakSavedBytes() {
        return peakSavedBytes.clone();
    }
}
