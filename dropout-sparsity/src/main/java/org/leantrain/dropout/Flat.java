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
        int n = Math.toIntExact(x.length());
        if (!HostMemory.CPU) {
            System.arraycopy(x.dup('c').reshape(n).toDoubleVector(), 0, out, 0, n);
            return out;
        }
        int offset = Math.toIntExact(x.offset());
        if (x.dataType() == DataType.DOUBLE) {
            doubles(x).get(offset, out, 0, n);
        } else {
            float[] tmp = scratch(n);
            floats(x).get(offset, tmp, 0, n);
            for (int i = 0; i < n; i++) {
                out[i] = tmp[i];
            }
        }
        return out;
    }

    /** The first x.length() values of {@code values} into x. */
    static void write(double[] values, INDArray x) {
        int n = Math.toIntExact(x.length());
        if (!HostMemory.CPU) {
            x.assign(org.nd4j.linalg.factory.Nd4j.create(java.util.Arrays.copyOf(values, n), x.shape(), x.dataType()));
            return;
        }
        int offset = Math.toIntExact(x.offset());
        if (x.dataType() == DataType.DOUBLE) {
            doubles(x).put(offset, values, 0, n);
        } else {
            float[] tmp = scratch(n);
            for (int i = 0; i < n; i++) {
                tmp[i] = (float) values[i];
            }
            floats(x).put(offset, tmp, 0, n);
        }
    }

    private static DoubleBuffer doubles(INDArray x) {
        return x.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    private static FloatBuffer floats(INDArray x) {
        return x.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
