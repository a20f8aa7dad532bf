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
 * issues a few GEMMs per layer and time step, so for small layers the overhead matters. Every variant (structured and dense) uses this, so
 * their comparison stays fair. On other backends it falls back to {@code Nd4j.gemm}.
 */
final class Gemm {
    private Gemm() {}

    static void multiply(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, double alpha,
            double beta) {
        int m = Math.toIntExact(transA ? a.size(1) : a.size(0));
        int k = Math.toIntExact(transA ? a.size(0) : a.size(1));
        int n = Math.toIntExact(transB ? b.size(0) : b.size(1));
        int kb = Math.toIntExact(transB ? b.size(1) : b.size(0));
        if (k != kb || c.size(0) != m || c.size(1) != n) {
            throw new IllegalArgumentException("gemm shapes do not fit: op(A) " + m + "×" + k + ", op(B) " + kb + "×" + n
                    + ", C " + java.util.Arrays.toString(c.shape()));
        }
        if (!HostMemory.CPU || !contiguous(a) || !contiguous(b) || !contiguous(c)) {
            Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
            return;
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) { // an empty inner dimension: C = beta·C
            if (beta == 0) {
                c.assign(0);
            } else {
                c.muli(beta);
            }
            return;
        }
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int lda = Math.toIntExact(a.size(1));
        int ldb = Math.toIntExact(b.size(1));
        if (c.dataType() == DataType.DOUBLE) {
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, alpha, doubles(a), lda, doubles(b), ldb,
                    beta, doubles(c), n);
        } else if (c.dataType() == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, (float) alpha, floats(a), lda, floats(b),
                    ldb, (float) beta, floats(c), n);
        } else {
            Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
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

    /** The first element of x: a view's buffer address already includes its offset (unlike its NIO view). */
    private static FloatPointer floats(INDArray x) {
        return new FloatPointer(x.data().addressPointer());
    }

    private static DoublePointer doubles(INDArray x) {
        return new DoublePointer(x.data().addressPointer());
    }
}
