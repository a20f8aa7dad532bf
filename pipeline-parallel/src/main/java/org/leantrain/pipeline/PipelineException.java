package org.leantrain.pipeline;

/** An op of a pipeline stage failed; the step was abandoned and no parameter changed. */
public final class PipelineException extends RuntimeException {
    private final int stage;
    private final int microBatch;
    private final Op.Kind op;

    public PipelineException(int stage, int microBatch, Op.Kind op, Throwable cause) {
        super("pipeline stage " + stage + " failed in " + op + " of micro-batch " + microBatch + ": " + cause,
                cause);
        this.stage = stage;
        this.microBatch = microBatch;
        this.op = op;
    }

    public int stage() {
        return stage;
    }

    public int microBatch() {
        return microBatch;
    }

    public Op.Kind op() {
        return op;
    }
}
