package org.leantrain.layerselect;

import org.leantrain.core.data.Dataset;
import org.leantrain.core.util.Rng;

/** Seeded batches of distinct rows for scoring (without replacement while the data lasts). */
final class Batches {
    private Batches() {}

    static int[][] draw(int size, int count, int batchSize, Rng rng) {
        if (size < batchSize) {
            throw new IllegalArgumentException("the target data has " + size + " samples, fewer than one batch of "
                    + batchSize);
        }
        int[][] batches = new int[count][batchSize];
        int[] order = rng.permutation(size);
        int next = 0;
        for (int b = 0; b < count; b++) {
            if (next + batchSize > size) {
                order = rng.permutation(size);
                next = 0;
            }
            System.arraycopy(order, next, batches[b], 0, batchSize);
            next += batchSize;
        }
        return batches;
    }

    static Dataset one(Dataset data, int batchSize, Rng rng) {
        return data.select(draw(data.size(), 1, batchSize, rng)[0]);
    }
}
