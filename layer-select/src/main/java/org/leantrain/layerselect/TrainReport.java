package org.leantrain.layerselect;

import java.time.Duration;

/**
 * One adaptation run (spec §2 memory model): test accuracy, peak saved-activation bytes of a step (the core tape
 * counter), optimizer-state bytes M_state = 4·(1 + s)·N_trainable (gradient plus s Adam moments), wall time.
 */
public record TrainReport(double testAccuracy, long peakSavedActivationBytes, long optimizerStateBytes,
        long trainableParams, int steps, Duration wallTime) {

    public double millisPerStep() {
        return steps == 0 ? 0 : wallTime.toNanos() / 1e6 / steps;
    }
}
