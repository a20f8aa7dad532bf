package org.leantrain.dropout;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row gather and scatter on c-contiguous matrices: the packing that lets a GEMM run on the kept units only.
 *
 * <p>Gathers copy whole rows through the arrays' native buffers; measured on the 2-core machine for 512 of
 * 1024 rows of 4096 floats: 1.1 ms, against 6–7 ms for {@code Nd4j.pullRows} and the libnd4j {@code gather} op.
 */
final class Rows {
    private Rows() {}

    /** x itself when it is c-contiguous (a view with an offset is fine), else a c-ordered copy. */
    static INDArray contiguous(INDArray x) {
        boolean ok = x.ordering() == 'c' && Arrays.equals(x.stride(), Nd4j.getStrides(x.shape(), 'c'));
        return ok ? x : x.dup('c');
    }

    /** The rows {@code rows} of a c-contiguous matrix, as a new [rows.length, columns] matrix. */
    static INDArray gather(INDArray matrix, int[] rows) {
        long columns = matrix.size(1);
        INDArray out = Nd4j.createUninitialized(matrix.dataType(), rows.length, columns);
        int width = matrix.dataType().width();
        int rowBytes = Math.toIntExact(columns * width);
        ByteBuffer src = bytes(matrix);
        ByteBuffer dst = bytes(out);
        long srcBase = matrix.offset() * width;
        long dstBase = out.offset() * width;
        for (int i = 0; i < rows.length; i++) {
            dst.put(Math.toIntExact(dstBase + (long) i * rowBytes), src,
                    Math.toIntExact(srcBase + (long) rows[i] * rowBytes), rowBytes);
        }
        return out;
    }

    /** Copies row i of {@code values} into row rows[i] of the c-contiguous {@code target}. */
    static void put(INDArray target, int[] rows, INDArray values) {
        INDArray packed = contiguous(values);
        int width = target.dataType().width();
        int rowBytes = Math.toIntExact(target.size(1) * width);
        ByteBuffer src = bytes(packed);
        ByteBuffer dst = bytes(target);
        long srcBase = packed.offset() * width;
        long dstBase = target.offset() * width;
        for (int i = 0; i < rows.length; i++) {
            dst.put(Math.toIntExact(dstBase + (long) rows[i] * rowBytes), src,
                    Math.toIntExact(srcBase + (long) i * rowBytes), rowBytes);
        }
    }

    /**
     * target[rows[i]] += values[i]. The rows are distinct (kept sets are), so libnd4j's parallel scatter_add
     * needs no lock; it is as fast as a vectorised Java loop (2.3 ms for 512 rows of 4096 floats).
     */
    static void scatterAdd(INDArray target, int[] rows, INDArray values) {
        Nd4j.exec(DynamicCustomOp.builder("scatter_add")
                .addInputs(target, Nd4j.createFromArray(rows), contiguous(values))
                .addOutputs(target)
                .build());
    }

    private static ByteBuffer bytes(INDArray x) {
        return x.data().asNio();
    }
}
