package org.leantrain.dropout;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bulk copies between c-contiguous FLOAT or DOUBLE arrays (views with an offset included) and Java double[]s,
 * so that elementwise work can run as one fused Java loop instead of one ND4J op per line of math.
 */
final class Flat {
    /** Per-thread staging buffer for float arrays: a step makes ~10 copies per layer and time step. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private Flat() {}

    private static float[] scratch(int n) {
        float[] buffer = SCRATCH.get();
        if (buffer.length < n) {
            buffer = new float[n];
            SCRATCH.set(buffer);
        }
        return buffer;
    }

    /** The elements of x into {@code out} (length ≥ x.length()); returns out. */
    static double[] read(INDArray x, double[] out) {
        return read(Block.of(x.rank() == 2 ? x : x.reshape(1, x.length())), out);
    }

    /** The elements of a block into {@code out}; returns out. */
    static double[] read(Block x, double[] out) {
        int n = x.length();
        if (!HostMemory.CPU) {
            System.arraycopy(x.view().dup('c').reshape(n).toDoubleVector(), 0, out, 0, n);
            return out;
        }
        int offset = Math.toIntExact(x.array().offset() + x.offset());
        if (x.array().dataType() == DataType.DOUBLE) {
            doubles(x.array()).get(offset, out, 0, n);
        } else {
            float[] tmp = scratch(n);
            floats(x.array()).get(offset, tmp, 0, n);
            for (int i = 0; i < n; i++) {
                out[i] = tmp[i];
            }
        }
        return out;
    }

    /** The first x.length() values of {@code values} into x. */
    static void write(double[] values, INDArray x) {
        write(values, Block.of(x.rank() == 2 ? x : x.reshape(1, x.length())));
    }

    /** The first x.length() values of {@code values} into the block. */
    static void write(double[] values, Block x) {
        int n = x.length();
        if (!HostMemory.CPU) {
            x.view().assign(org.nd4j.linalg.factory.Nd4j.create(java.util.Arrays.copyOf(values, n),
                    new long[] {x.rows(), x.cols()}, x.array().dataType()));
            return;
        }
        int offset = Math.toIntExact(x.array().offset() + x.offset());
        if (x.array().dataType() == DataType.DOUBLE) {
            doubles(x.array()).put(offset, values, 0, n);
        } else {
            float[] tmp = scratch(n);
            for (int i = 0; i < n; i++) {
                tmp[i] = (float) values[i];
            }
            floats(x.array()).put(offset, tmp, 0, n);
        }
    }

    private static DoubleBuffer doubles(INDArray x) {
        return x.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    private static FloatBuffer floats(INDArray x) {
        return x.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
