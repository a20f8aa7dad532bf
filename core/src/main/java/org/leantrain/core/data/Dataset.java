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

    /** Only the examples whose label is one of {@code classes}, in their original order. */
    public Dataset filterClasses(int... classes) {
        java.util.Set<Integer> keep = new java.util.HashSet<>();
        for (int c : classes) {
            keep.add(c);
        }
        return select(java.util.stream.IntStream.range(0, size()).filter(i -> keep.contains(labels[i])).toArray());
    }

    /**
     * A subset with the given classes in the given proportions (e.g. classes {2, 3, 6} at weights {4, 2, 1}):
     * the largest subset whose class counts are exactly proportional to the weights, drawn without replacement
     * in a seeded random order.
     */
    public Dataset reweightClasses(int[] classes, int[] weights, org.leantrain.core.util.Rng rng) {
        if (classes.length == 0 || classes.length != weights.length) {
            throw new IllegalArgumentException("reweightClasses needs one positive weight per class, got classes "
                    + java.util.Arrays.toString(classes) + " and weights " + java.util.Arrays.toString(weights));
        }
        java.util.List<java.util.List<Integer>> byClass = new java.util.ArrayList<>();
        long units = Long.MAX_VALUE;
        for (int k = 0; k < classes.length; k++) {
            if (weights[k] < 1) {
                throw new IllegalArgumentException("class weights must be >= 1, got " + java.util.Arrays.toString(weights));
            }
            java.util.List<Integer> members = new java.util.ArrayList<>();
            for (int i : rng.permutation(size())) {
                if (labels[i] == classes[k]) {
                    members.add(i);
                }
            }
            if (members.isEmpty()) {
                throw new IllegalArgumentException("class " + classes[k] + " has no examples");
            }
            byClass.add(members);
            units = Math.min(units, members.size() / weights[k]);
        }
        java.util.List<Integer> chosen = new java.util.ArrayList<>();
        for (int k = 0; k < classes.length; k++) {
            chosen.addAll(byClass.get(k).subList(0, (int) (units * weights[k])));
        }
        int[] order = rng.permutation(chosen.size());
        int[] idx = new int[chosen.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = chosen.get(order[i]);
        }
        return select(idx);
    }

    public Dataset castTo(DataType type) {
        return new Dataset(features.castTo(type), labels);
    }
}
