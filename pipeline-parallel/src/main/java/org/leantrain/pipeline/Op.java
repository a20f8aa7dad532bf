package org.leantrain.pipeline;

/** One cell of a schedule: forward, recompute or backward of micro-batch {@code microBatch} on {@code stage}. */
public record Op(Kind kind, int stage, int microBatch) {
    public enum Kind { FORWARD, RECOMPUTE, BACKWARD }

    public static Op forward(int stage, int m) {
        return new Op(Kind.FORWARD, stage, m);
    }

    public static Op recompute(int stage, int m) {
        return new Op(Kind.RECOMPUTE, stage, m);
    }

    public static Op backward(int stage, int m) {
        return new Op(Kind.BACKWARD, stage, m);
    }

    /** "F3", "R3", "B3". */
    @Override
    public String toString() {
        return kind.name().charAt(0) + Integer.toString(microBatch);
    }
}
