package org.leantrain.dropout;

/**
 * Truncated-BPTT batching of one token stream: the stream is cut into B contiguous parallel streams, and segment
 * i holds tokens [i·T, (i + 1)·T) of every stream as inputs and the next tokens as targets. Consecutive segments
 * continue each other, so the hidden state is carried (detached) from one to the next.
 */
public final class BpttBatcher {
    private final int[][] streams;
    private final int steps;

    /** One segment: inputs and targets, each [B][T]. */
    public record Segment(int[][] inputs, int[][] targets) {}

    public BpttBatcher(int[] tokens, int batch, int steps) {
        if (batch < 1 || steps < 1) {
            throw new IllegalArgumentException("B and T must be at least 1, got B = " + batch + ", T = " + steps);
        }
        int length = tokens.length / batch;
        if (length < steps + 1) {
            throw new IllegalArgumentException(tokens.length + " tokens are too few for " + batch + " streams of at least "
                    + (steps + 1) + " tokens");
        }
        this.steps = steps;
        this.streams = new int[batch][];
        for (int b = 0; b < batch; b++) {
            streams[b] = java.util.Arrays.copyOfRange(tokens, b * length, (b + 1) * length);
        }
    }

    /** Segments per pass over the data. */
    public int segments() {
        return (streams[0].length - 1) / steps;
    }

    public Segment segment(int index) {
        if (index < 0 || index >= segments()) {
            throw new IllegalArgumentException("segment " + index + " is outside [0, " + segments() + ")");
        }
        int[][] inputs = new int[streams.length][];
        int[][] targets = new int[streams.length][];
        int from = index * steps;
        for (int b = 0; b < streams.length; b++) {
            inputs[b] = java.util.Arrays.copyOfRange(streams[b], from, from + steps);
            targets[b] = java.util.Arrays.copyOfRange(streams[b], from + 1, from + steps + 1);
        }
        return new Segment(inputs, targets);
    }
}
