package org.leantrain.rag;

import java.util.List;

/** Right-padded token rows [B][T] with each row's length; pads are {@code <pad>} (id 0). */
public record LmBatch(int[][] ids, int[] lengths) {
    public static LmBatch of(List<int[]> sequences, int context) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("an LM batch needs at least one sequence");
        }
        int t = 0;
        for (int[] s : sequences) {
            if (s.length < 2) {
                throw new IllegalArgumentException("sequences need at least 2 tokens, got " + s.length);
            }
            if (s.length > context) {
                throw new IllegalArgumentException("sequence of " + s.length + " tokens is longer than the context "
                        + context);
            }
            t = Math.max(t, s.length);
        }
        int[][] ids = new int[sequences.size()][t];
        int[] lengths = new int[sequences.size()];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(sequences.get(i), 0, ids[i], 0, sequences.get(i).length);
            lengths[i] = sequences.get(i).length;
        }
        return new LmBatch(ids, lengths);
    }

    public int size() {
        return ids.length;
    }

    /** Weights [B, T−1]: 1/((len−1)·B) on each predicted token of a row — a per-sequence mean, then a batch mean. */
    public double[] perSequenceMeanWeights() {
        int b = ids.length;
        int t = ids[0].length;
        double[] w = new double[b * (t - 1)];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < lengths[i] - 1; j++) {
                w[i * (t - 1) + j] = 1.0 / ((lengths[i] - 1.0) * b);
            }
        }
        return w;
    }
}
