package org.leantrain.core.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Features [N, ...] with integer class labels, held as one float array; batches are copied rows.
 */
public final class Dataset {
    private final INDArray features;
    private final int[] labels;

    public Dataset(INDArray features, int[] labels) {
        if (features.size(0) != labels.length) {
            throw new IllegalArgumentException("dataset has " + features.size(0) + " feature rows but " + labels.length
                    + " labels");
        }
        this.features = features;
        this.labels = labels;
    }

    public int size() {
        return labels.length;
    }

    public INDArray features() {
        return features;
    }

    public int[] labels() {
        return labels.clone();
    }

    public int label(int i) {
        return labels[i];
    }

    /** The examples at the given indices, in that order. */
    public Dataset select(int[] indices) {
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            l[i] = labels[indices[i]];
        }
        INDArray rows = Nd4j.pullRows(features.reshape(features.size(0), -1), 1, indices);
        long[] shape = features.shape().clone();
        shape[0] = indices.length;
        return new Dataset(rows.reshape('c', shape), l);
    }

    /** The first n examples. */
    public Dataset head(int n) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException("head(" + n + ") of a dataset with " + size() + " examples");
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return select(idx);
    }

    public Dataset castTo(DataType type) {
        return new Dataset(features.castTo(type), labels);
    }
}
