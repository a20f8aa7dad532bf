package org.leantrain.pipeline;

/** Which micro-batches a stage re-materializes in backward instead of keeping their graph (spec §3). */
public enum CheckpointMode {
    /** Every micro-batch: keep only boundary inputs, recompute each stage's graph before its backward. */
    ALWAYS,
    /** All but the last micro-batch, whose backward comes first anyway in GPipe. */
    EXCEPT_LAST,
    /** Keep every graph from forward to backward (fastest, most memory). */
    NEVER;

    /** Whether micro-batch {@code m} of {@code micro} is checkpointed (never in eval). */
    public boolean checkpoints(int m, int micro) {
        return switch (this) {
            case ALWAYS -> true;
            case EXCEPT_LAST -> m != micro - 1;
            case NEVER -> false;
        };
    }
}
