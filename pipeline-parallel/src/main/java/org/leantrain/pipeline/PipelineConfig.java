package org.leantrain.pipeline;

import java.util.Arrays;

/**
 * How a {@link Pipeline} cuts and runs a model. Validated on construction.
 *
 * @param balance         layers per stage, b_k ≥ 1 (Σ b_k must equal the model's layer count; checked by the pipeline)
 * @param microBatches    M ≥ 1, micro-batches per mini-batch
 * @param checkpoint      which micro-batches are re-materialized
 * @param schedule        GPipe fill-drain or 1F1B
 * @param threadsPerStage native (OpenMP/BLAS) threads of each stage's worker, ≥ 1
 * @param clipNorm        global gradient-norm clip, or 0 for none
 * @param checkInputs     whether to reject NaN/Inf inputs (one reduction per step); the loss is always checked
 */
public record PipelineConfig(int[] balance, int microBatches, CheckpointMode checkpoint, Schedule schedule,
                             int threadsPerStage, double clipNorm, boolean checkInputs) {
    public PipelineConfig {
        if (balance == null || balance.length == 0) {
            throw new IllegalArgumentException("balance must list the layer count of at least one stage");
        }
        for (int k = 0; k < balance.length; k++) {
            if (balance[k] <= 0) {
                throw new IllegalArgumentException("balance[" + k + "] = " + balance[k] + " in "
                        + Arrays.toString(balance) + "; every stage needs at least one layer");
            }
        }
        balance = balance.clone();
        if (microBatches < 1) {
            throw new IllegalArgumentException("microBatches must be >= 1, got " + microBatches);
        }
        if (checkpoint == null || schedule == null) {
            throw new IllegalArgumentException("checkpoint and schedule must be set");
        }
        if (threadsPerStage < 1) {
            throw new IllegalArgumentException("threadsPerStage must be >= 1, got " + threadsPerStage);
        }
        if (clipNorm < 0 || Double.isNaN(clipNorm) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be > 0 (or 0 for no clipping), got " + clipNorm);
        }
    }

    /** GPipe with re-materialization of every micro-batch, one thread per stage, no clipping. */
    public static PipelineConfig gpipe(int[] balance, int microBatches) {
        return new PipelineConfig(balance, microBatches, CheckpointMode.ALWAYS, Schedule.GPIPE, 1, 0, false);
    }

    /** The naive model-parallel baseline of spec §5: K stages, M = 1, no recompute — no overlap at all. */
    public static PipelineConfig naiveModelParallel(int[] balance) {
        return new PipelineConfig(balance, 1, CheckpointMode.NEVER, Schedule.GPIPE, 1, 0, false);
    }

    public int stages() {
        return balance.length;
    }

    @Override
    public int[] balance() {
        return balance.clone();
    }

    public PipelineConfig withMicroBatches(int m) {
        return new PipelineConfig(balance, m, checkpoint, schedule, threadsPerStage, clipNorm, checkInputs);
    }

    public PipelineConfig withCheckpoint(CheckpointMode c) {
        return new PipelineConfig(balance, microBatches, c, schedule, threadsPerStage, clipNorm, checkInputs);
    }

    public PipelineConfig withSchedule(Schedule s) {
        return new PipelineConfig(balance, microBatches, checkpoint, s, threadsPerStage, clipNorm, checkInputs);
    }

    public PipelineConfig withThreadsPerStage(int t) {
        return new PipelineConfig(balance, microBatches, checkpoint, schedule, t, clipNorm, checkInputs);
    }

    public PipelineConfig withClipNorm(double c) {
        return new PipelineConfig(balance, microBatches, checkpoint, schedule, threadsPerStage, c, checkInputs);
    }

    public PipelineConfig withInputCheck(boolean on) {
        return new PipelineConfig(balance, microBatches, checkpoint, schedule, threadsPerStage, clipNorm, on);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PipelineConfig c && Arrays.equals(balance, c.balance) && microBatches == c.microBatches
                && checkpoint == c.checkpoint && schedule == c.schedule && threadsPerStage == c.threadsPerStage
                && clipNorm == c.clipNorm && checkInputs == c.checkInputs;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(balance) + java.util.Objects.hash(microBatches, checkpoint, schedule,
                threadsPerStage, clipNorm, checkInputs);
    }

    @Override
    public String toString() {
        return "PipelineConfig[balance=" + Arrays.toString(balance) + ", M=" + microBatches + ", " + checkpoint + ", "
                + schedule + ", threadsPerStage=" + threadsPerStage + (clipNorm > 0 ? ", clip=" + clipNorm : "") + "]";
    }
}
