package org.leantrain.core.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.leantrain.core.util.Rng;

/** Mini-batches of a dataset in a seeded random order (a fresh permutation per epoch); the last may be smaller. */
public final class BatchIterator implements Iterator<Dataset> {
    private final Dataset data;
    private final int batchSize;
    private final int[] order;
    private int position;

    public BatchIterator(Dataset data, int batchSize, Rng rng) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.order = rng == null ? identity(data.size()) : rng.permutation(data.size());
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    public int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    @Override
    public boolean hasNext() {
        return position < order.length;
    }

    @Override
    public Dataset next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int n = Math.min(batchSize, order.length - position);
        int[] idx = new int[n];
        System.arraycopy(order, position, idx, 0, n);
        position += n;
        return data.select(idx);
    }
}
