package org.leantrain.core.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.factory.Nd4j;

/** Reductions over chosen dimensions (all when none given), softmax and log-softmax. */
final class Reductions {
    private Reductions() {}

    static Tensor sum(Tensor a, boolean keepDims, int... dims) {
        long[] inShape = a.shape();
        int[] d = normalizeDims("sum", inShape.length, dims);
        INDArray out = a.value().sum(keepDims, d);
        return Tape.record("sum", out, new Tensor[] {a}, null,
                (g, needs) -> new INDArray[] {expand(g, inShape, d)});
    }

    static Tensor mean(Tensor a, boolean keepDims, int... dims) {
        long[] inShape = a.shape();
        int[] d = normalizeDims("mean", inShape.length, dims);
        long count = 1;
        for (int dim : d) {
            count *= inShape[dim];
        }
        double scale = 1.0 / count;
        INDArray out = a.value().sum(keepDims, d).muli(scale);
        return Tape.record("mean", out, new Tensor[] {a}, null,
                (g, needs) -> new INDArray[] {expand(g, inShape, d).muli(scale)});
    }

    /** Max over dims; the gradient is shared equally among tied maxima. */
    static Tensor max(Tensor a, boolean keepDims, int... dims) {
        INDArray x = a.value();
        int[] d = normalizeDims("max", x.rank(), dims);
        INDArray maxKeep = x.max(true, d);
        INDArray isMax = Nd.sub(x, maxKeep);
        isMax = isMax.eq(0).castTo(x.dataType());
        INDArray share = Nd.div(isMax, isMax.sum(true, d));
        INDArray out = keepDims ? maxKeep : maxKeep.reshape('c', dropDims(x.shape(), d));
        return Tape.record("max", out, new Tensor[] {a}, Tape.saved(share),
                (g, needs) -> new INDArray[] {Nd.mul(share, keepShape(g, x.shape(), d))});
    }

    static Tensor logSumExp(Tensor a, int dim, boolean keepDims) {
        INDArray x = a.value();
        int d = normalizeDims("logSumExp", x.rank(), dim)[0];
        INDArray lseKeep = logSumExpKeep(x, d);
        INDArray out = keepDims ? lseKeep : lseKeep.reshape(dropDims(x.shape(), d));
        return Tape.record("logSumExp", out, new Tensor[] {a}, Tape.saved(x, lseKeep), (g, needs) -> {
            INDArray softmax = Nd.transform(Nd.sub(x, lseKeep), Exp::new);
            return new INDArray[] {softmax.muli(keepShape(g, x.shape(), new int[] {d}))};
        });
    }

    static Tensor softmax(Tensor a, int dim) {
        INDArray x = a.value();
        int d = normalizeDims("softmax", x.rank(), dim)[0];
        INDArray y = Nd.empty(x.dataType(), x.shape());
        Nd4j.exec(new SoftMax(x, y, d));
        return Tape.record("softmax", y, new Tensor[] {a}, Tape.saved(y), (g, needs) -> {
            // y ⊙ (g − Σ g⊙y)
            INDArray gy = Nd.mul(g, y);
            return new INDArray[] {Nd.sub(g, gy.sum(true, d)).muli(y)};
        });
    }

    /** x / √(Σ x² + eps) along dim; one tape node instead of five, and a backward of four ops instead of ten. */
    static Tensor normalize(Tensor a, int dim, double eps) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("normalize: eps must be finite and >= 0, got " + eps);
        }
        INDArray x = a.value();
        int d = normalizeDims("normalize", x.rank(), dim)[0];
        INDArray norm = Nd.transform(Nd.mul(x, x).sum(true, d).addi(eps), Sqrt::new);
        INDArray y = Nd.div(x, norm);
        return Tape.record("normalize", y, new Tensor[] {a}, Tape.saved(y, norm), (g, needs) -> {
            // (g − y ⊙ Σ g⊙y) / n
            INDArray along = Nd.mul(g, y).sum(true, d);
            return new INDArray[] {Nd.div(Nd.sub(g, Nd.mul(y, along)), norm)};
        });
    }

    static Tensor logSoftmax(Tensor a, int dim) {
        INDArray x = a.value();
        int d = normalizeDims("logSoftmax", x.rank(), dim)[0];
        INDArray y = logSoftmaxArray(x, d);
        return Tape.record("logSoftmax", y, new Tensor[] {a}, Tape.saved(y), (g, needs) -> {
            // g − softmax ⊙ Σ g
            INDArray softmax = Nd.transform(y, Exp::new);
            return new INDArray[] {Nd.sub(g, softmax.muli(g.sum(true, d)))};
        });
    }

    /**
     * The stable x − max − log Σ exp(x − max). Not libnd4j's fused LogSoftMax: in 1.0.0-M2.1 it returns −∞ once an
     * entry is about 100 below the row maximum in float32 (exp underflows before the log), which made a cross-entropy
     * of finite logits NaN (−∞ · 0 against the one-hot target).
     */
    static INDArray logSoftmaxArray(INDArray x, int dim) {
        return Nd.sub(x, logSumExpKeep(x, dim));
    }

    private static INDArray logSumExpKeep(INDArray x, int d) {
        INDArray m = x.max(true, d);
        INDArray e = Nd.transform(Nd.sub(x, m), Exp::new);
        INDArray s = e.sum(true, d);
        return Nd.transform(s, Log::new).addi(m);
    }

    /** g (reduced over dims, with or without kept dims) broadcast back to the input shape. */
    private static INDArray expand(INDArray g, long[] inShape, int[] dims) {
        return Nd.broadcastTo(keepShape(g, inShape, dims), inShape);
    }

    private static INDArray keepShape(INDArray g, long[] inShape, int[] dims) {
        long[] shape = inShape.clone();
        for (int d : dims) {
            shape[d] = 1;
        }
        return g.reshape('c', shape);
    }

    /** The shape without the given (sorted) dimensions. */
    private static long[] dropDims(long[] shape, int... dims) {
        long[] out = new long[shape.length - dims.length];
        for (int i = 0, j = 0, k = 0; i < shape.length; i++) {
            if (k < dims.length && dims[k] == i) {
                k++;
            } else {
                out[j++] = shape[i];
            }
        }
        return out;
    }

    /** Dims in [0, rank) (negative counts from the end), all dims when none given; sorted and checked. */
    static int[] normalizeDims(String op, int rank, int... dims) {
        if (dims == null || dims.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = dims[i] < 0 ? dims[i] + rank : dims[i];
            if (d < 0 || d >= rank) {
                throw new IllegalArgumentException(op + ": dimension " + dims[i] + " is out of range for rank " + rank);
            }
            out[i] = d;
        }
        java.util.Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException(op + ": dimension " + out[i] + " given twice");
            }
        }
        return out;
    }
}
