package org.leantrain.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The balanced micro-batch split of spec §2 (sizes differ by at most 1, always exactly M chunks). */
public final class MicroBatcher {
    private MicroBatcher() {}

    /** n_m = ⌊N/M⌋ + (1 if m < N mod M). */
    public static int[] sizes(int n, int micro) {
        if (micro < 1) {
            throw new IllegalArgumentException("micro-batch count M must be >= 1, got " + micro);
        }
        if (n < micro) {
            throw new IllegalArgumentException("a batch of " + n + " rows cannot be split into " + micro
                    + " non-empty micro-batches; use M <= N");
        }
        int[] sizes = new int[micro];
        for (int m = 0; m < micro; m++) {
            sizes[m] = n / micro + (m < n % micro ? 1 : 0);
        }
        return sizes;
    }

    /** First row of each micro-batch. */
    public static int[] offsets(int[] sizes) {
        int[] offsets = new int[sizes.length];
        for (int m = 1; m < sizes.length; m++) {
            offsets[m] = offsets[m - 1] + sizes[m - 1];
        }
        return offsets;
    }

    /** Row blocks of {@code t} along dimension 0, copied into their own arrays (safe to hand to another thread). */
    public static List<Tensor> scatter(Tensor t, int micro) {
        int[] sizes = sizes(Math.toIntExact(t.size(0)), micro);
        int[] offsets = offsets(sizes);
        List<Tensor> parts = new ArrayList<>(micro);
        for (int m = 0; m < micro; m++) {
            parts.add(Tensor.of(t.value().get(NDArrayIndex.interval(offsets[m], offsets[m] + sizes[m])).dup('c')));
        }
        return parts;
    }

    /** The inverse of {@link #scatter}: concatenation along dimension 0 in order m = 0 … M−1. */
    public static Tensor gather(List<Tensor> parts) {
        return Tensor.of(Nd4j.concat(0, parts.stream().map(Tensor::value).toArray(org.nd4j.linalg.api.ndarray.INDArray[]::new)));
    }
}
