package org.leantrain.ebm;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between INDArrays and Java arrays through the NIO view of the native buffer. ND4J's own
 * {@code DataBuffer.asDouble/asFloat} and {@code Nd4j.create(double[])} go element by element through a
 * bounds-checked indexer, which profiling showed as the hottest code of the walker loops.
 */
final class NativeCopy {
    private NativeCopy() {}

    /** The elements in row-major order as doubles. */
    static double[] doubles(INDArray x) {
        INDArray c = plain(x.castTo(DataType.DOUBLE));
        double[] out = new double[(int) c.length()];
        c.data().asNioDouble().get(out);
        return out;
    }

    /** The elements of a float32 array in row-major order. */
    static float[] floats(INDArray x) {
        INDArray c = plain(x.castTo(DataType.FLOAT));
        float[] out = new float[(int) c.length()];
        c.data().asNioFloat().get(out);
        return out;
    }

    /** A new float64 row-major array holding {@code values}. */
    static INDArray of(double[] values, long... shape) {
        INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, shape, 'c');
        out.data().asNioDouble().put(values);
        return out;
    }

    /** x itself when it owns a plain row-major buffer, else a row-major copy. */
    private static INDArray plain(INDArray x) {
        boolean plain = !x.isView() && x.ordering() == 'c' && x.data().length() == x.length() && x.offset() == 0;
        return plain ? x : x.dup('c');
    }
}
