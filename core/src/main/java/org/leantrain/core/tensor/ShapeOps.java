package org.leantrain.core.tensor;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Shape and indexing ops. Results are contiguous c-order copies unless a reshape can be a view. */
final class ShapeOps {
    private ShapeOps() {}

    static Tensor transpose(Tensor a) {
        int r = a.rank();
        if (r < 2) {
            throw new IllegalArgumentException("transpose: needs rank >= 2, got shape " + Nd.shape(a.shape()));
        }
        int[] order = new int[r];
        for (int i = 0; i < r; i++) {
            order[i] = i;
        }
        order[r - 2] = r - 1;
        order[r - 1] = r - 2;
        return permute(a, order);
    }

    static Tensor permute(Tensor a, int... order) {
        int r = a.rank();
        int[] inverse = new int[r];
        boolean[] seen = new boolean[r];
        if (order.length != r) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " does not match rank " + r);
        }
        for (int i = 0; i < r; i++) {
            if (order[i] < 0 || order[i] >= r || seen[order[i]]) {
                throw new IllegalArgumentException("permute: " + Arrays.toString(order) + " is not a permutation of 0.."
                        + (r - 1));
            }
            seen[order[i]] = true;
            inverse[order[i]] = i;
        }
        INDArray out = a.value().permute(order).dup('c');
        return Tape.record("permute", out, new Tensor[] {a}, null,
                (g, needs) -> new INDArray[] {g.permute(inverse).dup('c')});
    }

    static Tensor reshape(Tensor a, long... shape) {
        long[] in = a.shape();
        long[] target = resolveShape(in, shape);
        INDArray x = a.value();
        INDArray out = x.reshape('c', target);
        return Tape.record("reshape", out, new Tensor[] {a}, null,
                (g, needs) -> new INDArray[] {g.reshape('c', in)});
    }

    private static long[] resolveShape(long[] in, long[] shape) {
        long total = 1;
        for (long s : in) {
            total *= s;
        }
        long known = 1;
        int free = -1;
        long[] out = shape.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1 && free < 0) {
                free = i;
            } else if (out[i] <= 0) {
                throw new IllegalArgumentException("reshape: invalid target shape " + Arrays.toString(shape));
            } else {
                known *= out[i];
            }
        }
        if (free >= 0 && known > 0 && total % known == 0) {
            out[free] = total / known;
            known = total;
        }
        if (known != total) {
            throw new IllegalArgumentException("reshape: cannot view shape " + Nd.shape(in) + " (" + total
                    + " elements) as " + Arrays.toString(shape));
        }
        return out;
    }

    static Tensor slice(Tensor a, int dim, long start, long end) {
        long[] in = a.shape();
        int d = Reductions.normalizeDims("slice", in.length, dim)[0];
        if (start < 0 || end > in[d] || start >= end) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is empty or outside [0, "
                    + in[d] + ") along dimension " + d + " of shape " + Nd.shape(in));
        }
        INDArrayIndex[] index = sliceIndex(in.length, d, start, end);
        INDArray out = a.value().get(index).dup('c');
        return Tape.record("slice", out, new Tensor[] {a}, null, (g, needs) -> {
            INDArray full = Nd4j.zeros(g.dataType(), in);
            full.get(index).assign(g);
            return new INDArray[] {full};
        });
    }

    private static INDArrayIndex[] sliceIndex(int rank, int dim, long start, long end) {
        INDArrayIndex[] index = new INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) {
            index[i] = i == dim ? NDArrayIndex.interval(start, end) : NDArrayIndex.all();
        }
        return index;
    }

    static Tensor[] split(Tensor a, int dim, long... sizes) {
        int d = Reductions.normalizeDims("split", a.rank(), dim)[0];
        long total = Arrays.stream(sizes).sum();
        if (total != a.size(d)) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + total
                    + " but dimension " + d + " of shape " + Nd.shape(a.shape()) + " is " + a.size(d));
        }
        Tensor[] parts = new Tensor[sizes.length];
        long start = 0;
        for (int i = 0; i < sizes.length; i++) {
            parts[i] = slice(a, d, start, start + sizes[i]);
            start += sizes[i];
        }
        return parts;
    }

    static Tensor concat(int dim, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: nothing to concatenate");
        }
        int rank = parts[0].rank();
        int d = Reductions.normalizeDims("concat", rank, dim)[0];
        INDArray[] values = new INDArray[parts.length];
        long[] offsets = new long[parts.length + 1];
        for (int i = 0; i < parts.length; i++) {
            Tape.sameType("concat", parts[0], parts[i]);
            long[] s = parts[i].shape();
            long[] s0 = parts[0].shape();
            boolean compatible = s.length == rank;
            for (int k = 0; compatible && k < rank; k++) {
                compatible = k == d || s[k] == s0[k];
            }
            if (!compatible) {
                throw new IllegalArgumentException("concat: part " + i + " has shape " + Nd.shape(s)
                        + ", incompatible with part 0 " + Nd.shape(s0) + " along dimension " + d);
            }
            values[i] = parts[i].value();
            offsets[i + 1] = offsets[i] + s[d];
        }
        INDArray out = Nd4j.concat(d, values);
        return Tape.record("concat", out, parts, null, (g, needs) -> {
            INDArray[] grads = new INDArray[parts.length];
            for (int i = 0; i < parts.length; i++) {
                if (needs[i]) {
                    grads[i] = g.get(sliceIndex(rank, d, offsets[i], offsets[i + 1])).dup('c');
                }
            }
            return grads;
        });
    }

    static Tensor indexSelect(Tensor a, int... rows) {
        long[] in = a.shape();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= in[0]) {
                throw new IllegalArgumentException("indexSelect: index " + rows[i] + " at position " + i
                        + " is outside [0, " + in[0] + ") for shape " + Nd.shape(in));
            }
        }
        INDArray indices = Nd4j.createFromArray(rows);
        long[] outShape = in.clone();
        outShape[0] = rows.length;
        INDArray out = Nd.empty(a.dataType(), outShape);
        Nd4j.exec(DynamicCustomOp.builder("gather").addInputs(a.value(), indices).addIntegerArguments(0)
                .addOutputs(out).build());
        return Tape.record("indexSelect", out, new Tensor[] {a}, null, (g, needs) -> {
            // repeated rows accumulate; lock = true, or libnd4j's parallel scatter_add races on repeated indices
            // (measured: 53 of 55 rows wrong for 200,000 ids into 11 rows on 2 threads), which made embedding
            // gradients intermittently wrong
            INDArray full = Nd4j.zeros(g.dataType(), in);
            Nd4j.exec(DynamicCustomOp.builder("scatter_add").addInputs(full, indices, g).addOutputs(full)
                    .addBooleanArguments(true).build());
            return new INDArray[] {full};
        });
    }

    /**
     * Rows of a [V, e] table at ids, averaged over consecutive groups of bagLength: [ids / bagLength, e]. Fused, in
     * Java (the rows read by memcpy, the backward a scatter-add into a dense table gradient), because the composed
     * lookup → reshape → mean costs seven ND4J calls, which dominate small bag-of-tokens encoders.
     */
    static Tensor bagMean(Tensor table, int[] ids, int bagLength) {
        long[] in = table.shape();
        DataType type = table.dataType();
        if (in.length != 2) {
            throw new IllegalArgumentException("bagMean: the table must be [V, e], got " + Nd.shape(in));
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("bagMean: float32 and float64 tables only, got " + type);
        }
        if (bagLength < 1 || ids.length == 0 || ids.length % bagLength != 0) {
            throw new IllegalArgumentException("bagMean: " + ids.length + " ids do not make bags of " + bagLength);
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= in[0]) {
                throw new IllegalArgumentException("bagMean: id " + ids[i] + " at position " + i + " is outside [0, "
                        + in[0] + ")");
            }
        }
        int bags = ids.length / bagLength;
        int dim = Math.toIntExact(in[1]);
        // forward and backward in Java: a few thousand additions, where each ND4J call costs tens of microseconds
        INDArray out = Nd.empty(type, bags, dim);
        if (type == DataType.FLOAT) {
            float[] rows = Nd.floatRows(table.value(), ids);
            float[] mean = new float[bags * dim];
            float scale = 1f / bagLength;
            for (int i = 0; i < ids.length; i++) {
                int to = i / bagLength * dim;
                for (int k = 0; k < dim; k++) {
                    mean[to + k] += scale * rows[i * dim + k];
                }
            }
            Nd.setFloats(out, mean);
        } else {
            double[] rows = Nd.doubleRows(table.value(), ids);
            double[] mean = new double[bags * dim];
            double scale = 1.0 / bagLength;
            for (int i = 0; i < ids.length; i++) {
                int to = i / bagLength * dim;
                for (int k = 0; k < dim; k++) {
                    mean[to + k] += scale * rows[i * dim + k];
                }
            }
            Nd.setDoubles(out, mean);
        }
        return Tape.record("bagMean", out, new Tensor[] {table}, null, (g, needs) -> {
            INDArray full = Nd.empty(type, in);
            if (type == DataType.FLOAT) {
                float[] grad = Nd.floats(g);
                float[] sum = new float[Math.toIntExact(full.length())];
                float scale = 1f / bagLength;
                for (int i = 0; i < ids.length; i++) {
                    int from = i / bagLength * dim;
                    int to = ids[i] * dim;
                    for (int k = 0; k < dim; k++) {
                        sum[to + k] += scale * grad[from + k];
                    }
                }
                Nd.setFloats(full, sum);
            } else {
                double[] grad = Nd.doubles(g);
                double[] sum = new double[Math.toIntExact(full.length())];
                double scale = 1.0 / bagLength;
                for (int i = 0; i < ids.length; i++) {
                    int from = i / bagLength * dim;
                    int to = ids[i] * dim;
                    for (int k = 0; k < dim; k++) {
                        sum[to + k] += scale * grad[from + k];
                    }
                }
                Nd.setDoubles(full, sum);
            }
            return new INDArray[] {full};
        });
    }

    static Tensor maskedFill(Tensor a, INDArray mask, double fill) {
        INDArray x = a.value();
        long[] shape = Nd.broadcastShape("maskedFill", x.shape(), mask.shape());
        if (!Arrays.equals(shape, x.shape())) {
            throw new IllegalArgumentException("maskedFill: mask shape " + Nd.shape(mask.shape())
                    + " would change the tensor shape " + Nd.shape(x.shape()));
        }
        INDArray keep = mask.eq(0).castTo(x.dataType());
        if (!coversTrailingDimensions(mask, x)) {
            INDArray filled = Nd4j.valueArrayOf(x.shape(), fill, x.dataType());
            INDArray out = select(mask, filled, x); // a select, not arithmetic, so fill may be −∞
            return Tape.record("maskedFill", out, new Tensor[] {a}, Tape.saved(keep),
                    (g, needs) -> new INDArray[] {Nd.mul(g, keep)});
        }
        // The common case (a [T, T] attention mask over [B·H, T, T] scores): one row-vector op over [rows, T·T]
        // instead of libnd4j's select, which took over half of a transformer step. An infinite fill is added
        // (x + 0 = x and x − ∞ = −∞ exactly for finite x); a finite one replaces x through x·keep + fill·(1 − keep).
        long length = mask.length();
        long rows = x.length() / length;
        INDArray keepRow = keep.dup('c').reshape(length);
        double[] masked = mask.neq(0).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] fillValues = new double[masked.length];
        for (int i = 0; i < masked.length; i++) {
            fillValues[i] = masked[i] != 0 ? fill : 0;
        }
        INDArray fillRow = Nd4j.create(fillValues, new long[] {length}, x.dataType());
        INDArray out = x.dup('c').reshape(rows, length);
        if (!Double.isInfinite(fill)) {
            out.muliRowVector(keepRow);
        }
        out.addiRowVector(fillRow);
        return Tape.record("maskedFill", out.reshape(x.shape()), new Tensor[] {a}, Tape.saved(keepRow),
                (g, needs) -> new INDArray[] {g.dup('c').reshape(rows, length).muliRowVector(keepRow).reshape(g.shape())});
    }

    /** Whether the mask's shape is x's trailing dimensions (leading 1s aside), so it repeats over x's rows. */
    private static boolean coversTrailingDimensions(INDArray mask, INDArray x) {
        long[] m = mask.shape();
        long[] s = x.shape();
        int skip = 0;
        while (skip < m.length && m[skip] == 1 && m.length - skip > 1) {
            skip++;
        }
        if (m.length - skip > s.length) {
            return false;
        }
        for (int i = skip; i < m.length; i++) {
            if (m[i] != s[s.length - (m.length - i)]) {
                return false;
            }
        }
        return true;
    }

    static Tensor where(INDArray condition, Tensor a, Tensor b) {
        Tape.sameType("where", a, b);
        DataType type = a.dataType();
        long[] shape = Nd.broadcastShape("where", Nd.broadcastShape("where", a.shape(), b.shape()), condition.shape());
        INDArray out = select(condition, Nd.broadcastTo(a.value(), shape), Nd.broadcastTo(b.value(), shape));
        INDArray c = condition.neq(0).castTo(type);
        INDArray notC = c.rsub(1);
        return Tape.record("where", out, new Tensor[] {a, b}, Tape.saved(c, notC), (g, needs) -> new INDArray[] {
            needs[0] ? Nd.mul(g, c) : null, needs[1] ? Nd.mul(g, notC) : null});
    }

    /** Elementwise condition ? ifTrue : ifFalse (condition non-zero means true), all broadcast to ifTrue's shape. */
    private static INDArray select(INDArray condition, INDArray ifTrue, INDArray ifFalse) {
        INDArray cond = Nd.broadcastTo(condition.neq(0), ifTrue.shape());
        INDArray out = Nd.empty(ifTrue.dataType(), ifTrue.shape());
        Nd4j.exec(DynamicCustomOp.builder("select").addInputs(cond, ifTrue, ifFalse).addOutputs(out).build());
        return out;
    }
}
