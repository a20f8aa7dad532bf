package org.leantrain.core.tensor;

import java.util.Arrays;
import java.util.function.BiFunction;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Raw ND4J helpers on the fast call paths the core uses: ops executed into a preallocated output (the allocating
 * {@code INDArray} methods are several times slower on small arrays), numpy broadcasting rules, the reduction
 * of a broadcast gradient back to its operand's shape, and bulk copies between ND4J and Java arrays for the ops
 * that are cheaper as a Java loop than as ND4J calls.
 */
public final class Nd {
    private Nd() {}

    /** log softmax(x) along dim on a raw array (max-subtracted), off the tape: the value the tape op records. */
    public static INDArray logSoftmax(INDArray x, int dim) {
        return Reductions.logSoftmaxArray(x, dim);
    }

    /** An uninitialised c-order array; every op output is allocated here. */
    public static INDArray empty(DataType type, long... shape) {
        return Nd4j.createUninitialized(type, shape, 'c');
    }

    public static INDArray exec(Op op) {
        Nd4j.getExecutioner().exec(op);
        return op.z();
    }

    public static INDArray exec(CustomOp op) {
        Nd4j.exec(op);
        return op.getOutputArgument(0);
    }

    /** Output shape of a broadcasting binary op (numpy rules), or a clear error naming the op and both shapes. */
    public static long[] broadcastShape(String op, long[] a, long[] b) {
        if (Arrays.equals(a, b)) {
            return a;
        }
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " are not broadcastable (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Sums a gradient over the dimensions along which an operand of {@code shape} was broadcast. */
    public static INDArray reduceTo(INDArray grad, long[] shape) {
        long[] g = grad.shape();
        if (Arrays.equals(g, shape)) {
            return grad;
        }
        int lead = g.length - shape.length;
        int[] dims = new int[g.length];
        int n = 0;
        for (int i = 0; i < g.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && g[i] != 1)) {
                dims[n++] = i;
            }
        }
        if (n > 0 && dims[n - 1] == n - 1 && n < g.length) {
            return sumLeading(grad, n).reshape('c', shape);
        }
        INDArray summed = n == 0 ? grad : grad.sum(true, Arrays.copyOf(dims, n));
        return summed.reshape('c', shape.length == 0 ? new long[0] : shape);
    }

    /**
     * Sum over the first {@code k} dimensions (a bias broadcast over the batch) as one product with a row of ones:
     * several times faster than ND4J's reduction along dimension 0.
     */
    private static INDArray sumLeading(INDArray grad, int k) {
        long[] g = grad.shape();
        long rows = 1;
        for (int i = 0; i < k; i++) {
            rows *= g[i];
        }
        INDArray matrix = grad.reshape('c', rows, grad.length() / rows);
        INDArray out = empty(grad.dataType(), 1, matrix.columns());
        Nd4j.gemm(Nd4j.ones(grad.dataType(), 1, rows), matrix, out, false, false, 1.0, 0.0);
        return out;
    }

    /**
     * x materialised at a broadcast shape (numpy rules: missing leading dims count as 1). Float32 and float64 are
     * copied in Java, whole rows at a time (about 1 ns an element); libnd4j's broadcast_to, kept for other types,
     * measured about 90 ns an element here ([1, 256] → [2560, 256]: 11.9 ms; zeros + a broadcasting add 1.6 ms).
     */
    public static INDArray broadcastTo(INDArray x, long[] shape) {
        if (Arrays.equals(x.shape(), shape)) {
            return x;
        }
        if (!Arrays.equals(broadcastShape("broadcastTo", x.shape(), shape), shape)) {
            throw new IllegalArgumentException("broadcastTo: shape " + Arrays.toString(x.shape())
                    + " cannot be broadcast to " + Arrays.toString(shape));
        }
        INDArray z = empty(x.dataType(), shape);
        if (x.dataType() == DataType.FLOAT || x.dataType() == DataType.DOUBLE) {
            broadcastRows(x, z, shape);
        } else {
            Nd4j.exec(DynamicCustomOp.builder("broadcast_to").addInputs(x, Nd4j.createFromArray(shape))
                    .addOutputs(z).build());
        }
        return z;
    }

    /** z[…] = x[…] with broadcasting: per output row (all dims but the last) one copy or one fill. */
    private static void broadcastRows(INDArray x, INDArray z, long[] shape) {
        int rank = shape.length;
        long[] in = x.shape();
        int[] stride = new int[rank]; // x's c-order strides over the output's dims, 0 where x is broadcast
        int step = 1;
        for (int d = rank - 1; d >= 0; d--) {
            int inDim = d - (rank - in.length);
            long size = inDim >= 0 ? in[inDim] : 1;
            stride[d] = size == 1 ? 0 : step;
            step *= (int) size;
        }
        int width = (int) shape[rank - 1];
        int rows = Math.toIntExact(z.length() / width);
        int[] source = new int[rows];
        int[] index = new int[rank];
        for (int r = 0; r < rows; r++) {
            int offset = 0;
            for (int d = 0; d < rank - 1; d++) {
                offset += index[d] * stride[d];
            }
            source[r] = offset;
            for (int d = rank - 2; d >= 0 && ++index[d] == shape[d]; d--) {
                index[d] = 0;
            }
        }
        boolean fill = stride[rank - 1] == 0;
        if (x.dataType() == DataType.FLOAT) {
            float[] from = floats(x);
            float[] out = new float[Math.toIntExact(z.length())];
            for (int r = 0; r < rows; r++) {
                if (fill) {
                    Arrays.fill(out, r * width, (r + 1) * width, from[source[r]]);
                } else {
                    System.arraycopy(from, source[r], out, r * width, width);
                }
            }
            setFloats(z, out);
        } else {
            double[] from = doubles(x);
            double[] out = new double[Math.toIntExact(z.length())];
            for (int r = 0; r < rows; r++) {
                if (fill) {
                    Arrays.fill(out, r * width, (r + 1) * width, from[source[r]]);
                } else {
                    System.arraycopy(from, source[r], out, r * width, width);
                }
            }
            setDoubles(z, out);
        }
    }

    static INDArray add(INDArray a, INDArray b) {
        return pairwise("add", a, b, AddOp::new);
    }

    static INDArray sub(INDArray a, INDArray b) {
        return pairwise("sub", a, b, SubOp::new);
    }

    static INDArray mul(INDArray a, INDArray b) {
        return pairwise("mul", a, b, MulOp::new);
    }

    static INDArray div(INDArray a, INDArray b) {
        return pairwise("div", a, b, DivOp::new);
    }

    private interface PairwiseOp {
        CustomOp create(INDArray x, INDArray y, INDArray z);
    }

    private static INDArray pairwise(String name, INDArray a, INDArray b, PairwiseOp op) {
        INDArray z = empty(a.dataType(), broadcastShape(name, a.shape(), b.shape()));
        Nd4j.exec(op.create(a, b, z));
        return z;
    }

    /** Applies a transform op (constructed as {@code new Tanh(x, z)}) into a fresh array shaped like x. */
    static INDArray transform(INDArray x, BiFunction<INDArray, INDArray, Op> op) {
        INDArray z = empty(x.dataType(), x.shape());
        Nd4j.getExecutioner().exec(op.apply(x, z));
        return z;
    }

    /**
     * True when no element is NaN or infinite: NaN and Inf propagate through the sum of absolute values, and BLAS
     * asum is over ten times faster than ND4J's sum reduction (it runs once per parameter per backward).
     */
    public static boolean isFinite(INDArray a) {
        if (a.length() == 0) {
            return true;
        }
        INDArray flat = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
        return Double.isFinite(Nd4j.getBlasWrapper().level1().asum(flat.reshape(flat.length())));
    }

    /** The elements of a float32 array in c order, copied in bulk (one memcpy where it is contiguous). */
    public static float[] floats(INDArray a) {
        requireType(a, DataType.FLOAT);
        INDArray c = dense(a);
        float[] out = new float[Math.toIntExact(c.length())];
        new FloatPointer(c.data().pointer()).get(out);
        return out;
    }

    /** The elements of a float64 array in c order, copied in bulk (one memcpy where it is contiguous). */
    public static double[] doubles(INDArray a) {
        requireType(a, DataType.DOUBLE);
        INDArray c = dense(a);
        double[] out = new double[Math.toIntExact(c.length())];
        new DoublePointer(c.data().pointer()).get(out);
        return out;
    }

    /** Rows of a float32 matrix, one after another: a memcpy per row, so nothing else of the matrix is read. */
    public static float[] floatRows(INDArray matrix, int[] rows) {
        requireType(matrix, DataType.FLOAT);
        INDArray c = dense(matrix);
        int width = Math.toIntExact(c.size(1));
        float[] out = new float[rows.length * width];
        FloatPointer pointer = new FloatPointer(c.data().pointer());
        for (int i = 0; i < rows.length; i++) {
            pointer.position((long) rows[i] * width).get(out, i * width, width);
        }
        return out;
    }

    /** Rows of a float64 matrix, one after another: a memcpy per row, so nothing else of the matrix is read. */
    public static double[] doubleRows(INDArray matrix, int[] rows) {
        requireType(matrix, DataType.DOUBLE);
        INDArray c = dense(matrix);
        int width = Math.toIntExact(c.size(1));
        double[] out = new double[rows.length * width];
        DoublePointer pointer = new DoublePointer(c.data().pointer());
        for (int i = 0; i < rows.length; i++) {
            pointer.position((long) rows[i] * width).get(out, i * width, width);
        }
        return out;
    }

    /** Overwrites a float32 array with values in c order (one memcpy where it is contiguous). */
    public static void setFloats(INDArray a, float[] values) {
        requireType(a, DataType.FLOAT);
        requireLength(a, values.length);
        if (isDense(a)) {
            new FloatPointer(a.data().pointer()).put(values);
        } else {
            a.assign(Nd4j.create(values, a.shape(), 'c'));
        }
    }

    /** Overwrites a float64 array with values in c order (one memcpy where it is contiguous). */
    public static void setDoubles(INDArray a, double[] values) {
        requireType(a, DataType.DOUBLE);
        requireLength(a, values.length);
        if (isDense(a)) {
            new DoublePointer(a.data().pointer()).put(values);
        } else {
            a.assign(Nd4j.create(values, a.shape(), 'c'));
        }
    }

    /** The array owns its whole buffer in c order, so its elements are the buffer's from the start. */
    private static boolean isDense(INDArray a) {
        return !a.isView() && a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length();
    }

    private static INDArray dense(INDArray a) {
        return isDense(a) ? a : a.dup('c');
    }

    private static void requireType(INDArray a, DataType type) {
        if (a.dataType() != type) {
            throw new IllegalArgumentException("expected a " + type + " array, got " + a.dataType());
        }
    }

    private static void requireLength(INDArray a, int length) {
        if (a.length() != length) {
            throw new IllegalArgumentException(length + " values for an array of " + a.length() + " elements");
        }
    }

    static String shape(long[] shape) {
        return Arrays.toString(shape);
    }
}
