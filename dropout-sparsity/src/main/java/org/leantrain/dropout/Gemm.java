package org.leantrain.dropout;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * C = alpha·op(A)·op(B) + beta·C on c-contiguous matrices (views with an offset included), called straight into
 * the OpenBLAS instance ND4J's CPU backend uses (openblas_nolapack, whose thread count ND4J sets). ND4J's
 * {@code Nd4j.gemm} costs ~20 µs per call before any arithmetic (0.6 µs here) and is slower into a view: measured
 * 474–821 µs against 279–507 µs for (1024 × 256)·(256 × 32), equal for (4096 × 1024)·(1024 × 64). An LSTM step
 * issues a few GEMMs per layer and time step, so for small layers the overhead matters. Every variant (structured
 * and dense) uses this, so their comparison stays fair. On other backends it falls back to {@code Nd4j.gemm}.
 */
final class Gemm {
    private Gemm() {}

    static void multiply(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, double alpha,
            double beta) {
        if (!HostMemory.CPU || !contiguous(a) || !contiguous(b) || !contiguous(c)) {
            checkShapes(Math.toIntExact(a.size(0)), Math.toIntExact(a.size(1)), transA, Math.toIntExact(b.size(0)),
                    Math.toIntExact(b.size(1)), transB, Math.toIntExact(c.size(0)), Math.toIntExact(c.size(1)));
            Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
            return;
        }
        multiply(Block.of(a), transA, Block.of(b), transB, Block.of(c), alpha, beta);
    }

    /** The same on blocks of larger arrays (no ND4J view objects). */
    static void multiply(Block a, boolean transA, Block b, boolean transB, Block c, double alpha, double beta) {
        checkShapes(a.rows(), a.cols(), transA, b.rows(), b.cols(), transB, c.rows(), c.cols());
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int n = transB ? b.rows() : b.cols();
        DataType type = c.array().dataType();
        if (!HostMemory.CPU || (type != DataType.FLOAT && type != DataType.DOUBLE)) {
            Nd4j.gemm(a.view(), b.view(), c.view(), transA, transB, alpha, beta);
            return;
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) { // an empty inner dimension: C = beta·C
            INDArray view = c.view();
            if (beta == 0) {
                view.assign(0);
            } else {
                view.muli(beta);
            }
            return;
        }
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        if (type == DataType.DOUBLE) {
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, alpha, doubles(a), a.cols(),
                    doubles(b), b.cols(), beta, doubles(c), n);
        } else {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, (float) alpha, floats(a),
                    a.cols(), floats(b), b.cols(), (float) beta, floats(c), n);
        }
    }

    private static void checkShapes(int aRows, int aCols, boolean transA, int bRows, int bCols, boolean transB,
            int cRows, int cCols) {
        int m = transA ? aCols : aRows;
        int k = transA ? aRows : aCols;
        int kb = transB ? bCols : bRows;
        int n = transB ? bRows : bCols;
        if (k != kb || cRows != m || cCols != n) {
            throw new IllegalArgumentException("gemm shapes do not fit: op(A) " + m + "×" + k + ", op(B) " + kb + "×" + n
                    + ", C " + cRows + "×" + cCols);
        }
    }

    /** A new [m, n] result of alpha·op(A)·op(B). */
    static INDArray multiply(INDArray a, boolean transA, INDArray b, boolean transB, double alpha) {
        long m = transA ? a.size(1) : a.size(0);
        long n = transB ? b.size(0) : b.size(1);
        INDArray c = Nd4j.createUninitialized(a.dataType(), m, n);
        multiply(a, transA, b, transB, c, alpha, 0.0);
        return c;
    }

    private static boolean contiguous(INDArray x) {
        return x.rank() == 2 && x.ordering() == 'c' && x.stride(1) == 1 && x.stride(0) == x.size(1)
                && (x.dataType() == DataType.FLOAT || x.dataType() == DataType.DOUBLE);
    }

    /** The block's first element: a view's buffer address already includes its own offset (unlike its NIO view). */
    private static FloatPointer floats(Block x) {
        return new FloatPointer(x.array().data().addressPointer()).position(x.offset());
    }

    private static DoublePointer doubles(Block x) {
        return new DoublePointer(x.array().data().addressPointer()).position(x.offset());
    }
}
