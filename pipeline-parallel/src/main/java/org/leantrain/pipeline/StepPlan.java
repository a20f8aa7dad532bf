package org.leantrain.pipeline;

import java.util.List;
import org.leantrain.core.tensor.Tensor;

/** The read-only facts of one training step shared by all stages, plus the loss slots the last stage fills. */
final class StepPlan {
    private final long step;
    private final int[] offsets;
    private final List<Tensor> targets;
    private final double[] weights;
    private final LossFn loss;
    private final CheckpointMode checkpoint;
    private final double[] losses;

    StepPlan(long step, int[] sizes, List<Tensor> targets, LossFn loss, CheckpointMode checkpoint) {
        this.step = step;
        this.offsets = MicroBatcher.offsets(sizes);
        this.targets = targets;
        this.weights = targets == null ? null : LossFn.seedWeights(loss, targets);
        this.loss = loss;
        this.checkpoint = checkpoint;
        this.losses = new double[sizes.length];
    }

    long step() {
        return step;
    }

    int microBatches() {
        return offsets.length;
    }

    int firstRow(int m) {
        return offsets[m];
    }

    boolean checkpointed(int m) {
        return checkpoint.checkpoints(m, offsets.length);
    }

    Tensor target(int m) {
        return targets.get(m);
    }

    /** ω_m of spec §2. */
    double weight(int m) {
        return weights[m];
    }

    LossFn loss() {
        return loss;
    }

    /** A non-finite 𝓛_m aborts the step before any update. */
    void recordLoss(int stage, int m, double value) {
        if (!Double.isFinite(value)) {
            throw new ArithmeticException("loss of micro-batch " + m + " at step " + step + " is " + value
                    + " (computed on stage " + stage + "); the step was abandoned and no parameter changed");
        }
        losses[m] = value;
    }

    /** Σ_m ω_m·𝓛_m. */
    double totalLoss() {
        double total = 0;
        for (int m = 0; m < losses.length; m++) {
            total += weights[m] * losses[m];
        }
        return total;
    }
}
