package org.leantrain.reversible.experiments;

import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.util.Rng;
import org.leantrain.reversible.LanguageModel;
import org.leantrain.reversible.MemoryProbe;

/**
 * Saved-bytes measurements on random token windows (the counter depends on shapes, not on the text): one model, or
 * the spec §7 memory-versus-depth sweep over systems and depths.
 */
public final class SavedBytes {
    private SavedBytes() {}

    /** Peak bytes held for backward during one forward + backward on {@code batch} random windows of the model's maxLength. */
    public static long peak(LanguageModel model, int batch) {
        Rng rng = new Rng(4);
        int length = model.shape().maxLength();
        int[][] in = randomIds(batch, length, model.shape().vocab(), rng);
        int[][] target = randomIds(batch, length, model.shape().vocab(), rng);
        try (StepMemory ignored = StepMemory.open()) {
            return MemoryProbe.peakSavedBytes(() -> model.loss(in, target));
        }
    }

    /** bytes[system][depth]: {@link #peak} of each system's quick model at each depth. */
    public static double[][] sweep(Systems[] systems, int[] depths, int vocab, int batch) {
        double[][] bytes = new double[systems.length][depths.length];
        for (int i = 0; i < depths.length; i++) {
            for (int s = 0; s < systems.length; s++) {
                bytes[s][i] = peak(systems[s].build(Systems.quickShape(vocab, depths[i]), 0), batch);
            }
        }
        return bytes;
    }

    /** {@code batch} rows of {@code length} ids drawn uniformly from [0, vocab). */
    public static int[][] randomIds(int batch, int length, int vocab, Rng rng) {
        int[][] ids = new int[batch][length];
        for (int[] row : ids) {
            for (int i = 0; i < length; i++) {
                row[i] = rng.nextInt(vocab);
            }
        }
        return ids;
    }
}
