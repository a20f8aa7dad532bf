package org.leantrain.core.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products through {@code Nd4j.gemm} into a preallocated result (several times faster than
 * {@code INDArray.mmul} at 256×256; see the core benchmark). Shapes: [m,k]·[k,n], [B,m,k]·[k,n] (a shared right
 * matrix, e.g. a linear layer over a sequence) and batched [B,m,k]·[B,k,n].
 */
final class MatMul {
    private MatMul() {}

    static Tensor matmul(Tensor a, Tensor b) {
        Tape.sameType("matmul", a, b);
        long[] sa = a.shape();
        long[] sb = b.shape();
        if (sa.length == 2 && sb.length == 2) {
            checkInner(sa, sb, sa[1], sb[0]);
            return matmul2d(a, b);
        }
        if (sa.length == 3 && sb.length == 2) {
            checkInner(sa, sb, sa[2], sb[0]);
            return sharedRight(a, b);
        }
        if (sa.length == 3 && sb.length == 3) {
            if (sa[0] != sb[0]) {
                throw new IllegalArgumentException("matmul: batch sizes differ: " + Nd.shape(sa) + " x " + Nd.shape(sb));
            }
            checkInner(sa, sb, sa[2], sb[1]);
            return batched(a, b);
        }
        throw new IllegalArgumentException("matmul: unsupported ranks " + Nd.shape(sa) + " x " + Nd.shape(sb)
                + "; supported are [m,k]x[k,n], [B,m,k]x[k,n] and [B,m,k]x[B,k,n]");
    }

    private static void checkInner(long[] sa, long[] sb, long ka, long kb) {
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Nd.shape(sa) + " x "
                    + Nd.shape(sb) + " (" + ka + " vs " + kb + ")");
        }
    }

    /** op(a)·op(b) into a new c-order matrix. */
    static INDArray gemm(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
        long m = transposeA ? a.columns() : a.rows();
        long n = transposeB ? b.rows() : b.columns();
        INDArray c = Nd.empty(a.dataType(), m, n);
        Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, 0.0);
        return c;
    }

    private static Tensor matmul2d(Tensor a, Tensor b) {
        INDArray x = a.value();
        INDArray y = b.value();
        INDArray keepY = a.requiresGrad() ? y : null;
        INDArray keepX = b.requiresGrad() ? x : null;
        return Tape.record("matmul", gemm(x, y, false, false), new Tensor[] {a, b}, Tape.saved(keepX, keepY),
                (g, needs) -> new INDArray[] {
                    needs[0] ? gemm(g, keepY, false, true) : null,
                    needs[1] ? rightGradient(b, keepX, g) : null});
    }

    /** xᵀ·g, added in place into a weight leaf's accumulated gradient when the backward allows it (null then). */
    private static INDArray rightGradient(Tensor b, INDArray x, INDArray g) {
        if (Autograd.accumulatesInPlace(b)) {
            b.accumulateProduct(x, g, true, false);
            return null;
        }
        return gemm(x, g, true, false);
    }

    private static Tensor sharedRight(Tensor a, Tensor b) {
        long[] sa = a.shape();
        long rows = sa[0] * sa[1];
        INDArray x2 = a.value().reshape('c', rows, sa[2]);
        INDArray y = b.value();
        INDArray keepY = a.requiresGrad() ? y : null;
        INDArray keepX = b.requiresGrad() ? x2 : null;
        INDArray out = gemm(x2, y, false, false).reshape('c', sa[0], sa[1], y.columns());
        return Tape.record("matmul", out, new Tensor[] {a, b}, Tape.saved(keepX, keepY), (g, needs) -> {
            INDArray g2 = g.reshape('c', rows, g.size(2));
            return new INDArray[] {
                needs[0] ? gemm(g2, keepY, false, true).reshape('c', sa) : null,
                needs[1] ? rightGradient(b, keepX, g2) : null};
        });
    }

    private static Tensor batched(Tensor a, Tensor b) {
        INDArray x = a.value();
        INDArray y = b.value();
        INDArray keepY = a.requiresGrad() ? y : null;
        INDArray keepX = b.requiresGrad() ? x : null;
        INDArray out = batchGemm(x, y, false, false);
        return Tape.record("batchedMatmul", out, new Tensor[] {a, b}, Tape.saved(keepX, keepY),
                (g, needs) -> new INDArray[] {
                    needs[0] ? batchGemm(g, keepY, false, true) : null,
                    needs[1] ? batchGemm(keepX, g, true, false) : null});
    }

    /**
     * One batched matmul op (libnd4j loops over the batch natively): 15x faster than a Java loop of per-slice gemms
     * at [128, 64, 16]·[128, 16, 64] (0.7 ms against 13 ms), which made attention the bulk of a transformer step.
     */
    private static INDArray batchGemm(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
        return Nd4j.matmul(a, b, null, transposeA, transposeB, false);
    }
}
