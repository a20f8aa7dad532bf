package org.leantrain.core.nn;

import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** A table of {@code count} vectors of size {@code dim}, N(0, 1) as PyTorch; looked up by integer ids. */
public final class Embedding extends Module {
    private final Tensor table;
    private final int count;

    public Embedding(int count, int dim, DataType type, Rng rng) {
        if (count < 1 || dim < 1) {
            throw new IllegalArgumentException("Embedding needs count and dim >= 1, got " + count + ", " + dim);
        }
        this.count = count;
        this.table = parameter("weight", Tensor.parameter(Init.normal(rng, type, 1.0, count, dim)));
    }

    public Tensor table() {
        return table;
    }

    /** Rows for ids [B][T] as [B, T, dim]. */
    public Tensor lookup(int[][] ids) {
        return lookup(flatten(ids, "row")).reshape(ids.length, ids[0].length, table.size(1));
    }

    /** The mean of each bag's rows, for bags of ids [B][L] (every bag the same length), as [B, dim]. */
    public Tensor bagMean(int[][] bags) {
        if (bags.length == 0 || bags[0].length == 0) {
            throw new IllegalArgumentException("Embedding: bagMean needs at least one bag of at least one id");
        }
        int[] flat = flatten(bags, "bag");
        checkIds(flat);
        return table.bagMean(flat, bags[0].length);
    }

    /** Rows for ids as [N, dim]. */
    public Tensor lookup(int... ids) {
        checkIds(ids);
        return table.indexSelect(ids);
    }

    /** The ids [B][T] in one array, row after row; every row must have row 0's length. */
    private static int[] flatten(int[][] ids, String unit) {
        int t = ids[0].length;
        int[] flat = new int[ids.length * t];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].length != t) {
                throw new IllegalArgumentException("Embedding: " + unit + " " + i + " has " + ids[i].length + " ids, "
                        + unit + " 0 has " + t);
            }
            System.arraycopy(ids[i], 0, flat, i * t, t);
        }
        return flat;
    }

    private void checkIds(int[] ids) {
        for (int id : ids) {
            if (id < 0 || id >= count) {
                throw new IllegalArgumentException("Embedding: id " + id + " is outside [0, " + count + ")");
            }
        }
    }

    /** Ids given as a tensor of whole numbers (any shape); the result has one more dimension. */
    @Override
    protected Tensor compute(Tensor ids) {
        double[] values = ids.value().dup('c').reshape(ids.value().length()).toDoubleVector();
        int[] flat = new int[values.length];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (int) values[i];
            if (flat[i] != values[i]) {
                throw new IllegalArgumentException("Embedding: id " + values[i] + " is not a whole number");
            }
        }
        long[] shape = java.util.Arrays.copyOf(ids.shape(), ids.rank() + 1);
        shape[ids.rank()] = table.size(1);
        return lookup(flat).reshape(shape);
    }
}
