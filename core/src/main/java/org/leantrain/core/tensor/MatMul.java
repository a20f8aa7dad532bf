package org.leantrain.core.tensor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products through {@code Nd4j.gemm} into a preallocated result (several times faster than
 * {@code INDArray.mmul} at 256×256; see the core benchmark). Shapes: [m,k]·[k,n], [B,m,k]·[k,n] (a shared right
 * matrix, e.g. a linear layer over a sequence) and batched [B,m,k]·[B,k,n].
 */
final class MatMul {
    private static final long SMALL_AFFINE = 16384;

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

    /**
     * x·W + b for x [N, in] or [B, T, in], W [in, out], b [out]. Up to {@value #SMALL_AFFINE} outputs the bias rows are
     * written first (broadcast in Java) and one gemm adds the product onto them (β = 1): a separate broadcasting add is a second
     * ND4J call costing about as much as the gemm itself there (8 × 64 · 64 × 64: 28 vs 62–70 µs). Saves what x·W
     * alone saves.
     */
    static Tensor affine(Tensor x, Tensor w, Tensor b) {
        Tape.sameType("affine", x, w);
        Tape.sameType("affine", x, b);
        long[] sx = x.shape();
        long[] sw = w.shape();
        if (sx.length < 2 || sx.length > 3 || sw.length != 2 || b.rank() != 1 || b.size(0) != sw[1]) {
            throw new IllegalArgumentException("affine: needs x [N, in] or [B, T, in], W [in, out] and b [out], got "
                    + Nd.shape(sx) + ", " + Nd.shape(sw) + " and " + Nd.shape(b.shape()));
        }
        checkInner(sx, sw, sx[sx.length - 1], sw[0]);
        long rows = sx.length == 2 ? sx[0] : sx[0] * sx[1];
        long outDim = sw[1];
        INDArray x2 = x.value().reshape('c', rows, sx[sx.length - 1]);
        INDArray out;
        boolean javaType = x.dataType() == DataType.FLOAT || x.dataType() == DataType.DOUBLE;
        if (rows * outDim <= SMALL_AFFINE && javaType) {
            out = Nd.broadcastTo(b.value(), new long[] {rows, outDim});
            Nd4j.gemm(x2, w.value(), out, false, false, 1.0, 1.0);
        } else {
            // at this size the broadcasting add is cheap next to the gemm, and a Java fill is not
            out = Nd.add(gemm(x2, w.value(), false, false), b.value());
        }
        long[] outShape = sx.clone();
        outShape[sx.length - 1] = outDim;
        INDArray keepW = x.requiresGrad() ? w.value() : null;
        INDArray keepX = w.requiresGrad() ? x2 : null;
        return Tape.record("affine", out.reshape('c', outShape), new Tensor[] {x, w, b}, Tape.saved(keepX, keepW),
                (g, needs) -> {
                    INDArray g2 = g.reshape('c', rows, outDim);
                    return new INDArray[] {
                        needs[0] ? gemm(g2, keepW, false, true).reshape('c', sx) : null,
                        needs[1] ? rightGradient(w, keepX, g2) : null,
                        needs[2] ? g2.sum(0) : null};
                });
    }

    /**
     * a·bᵀ for [m, k] and [n, k] matrices: one gemm with b transposed in place, where a.matmul(b.transpose()) copies b
     * transposed and keeps that copy for backward (the copy of a 4000 × 64 corpus, or of a tied embedding table).
     */
    static Tensor matmulTransposed(Tensor a, Tensor b) {
        Tape.sameType("matmulTransposed", a, b);
        long[] sa = a.shape();
        long[] sb = b.shape();
        if (sa.length != 2 || sb.length != 2) {
            throw new IllegalArgumentException("matmulTransposed: needs [m, k] and [n, k] matrices, got "
                    + Nd.shape(sa) + " and " + Nd.shape(sb));
        }
        checkInner(sa, sb, sa[1], sb[1]);
        INDArray x = a.value();
        INDArray y = b.value();
        INDArray keepY = a.requiresGrad() ? y : null;
        INDArray keepX = b.requiresGrad() ? x : null;
        return Tape.record("matmulTransposed", gemm(x, y, false, true), new Tensor[] {a, b},
                Tape.saved(keepX, keepY), (g, needs) -> new INDArray[] {
                    needs[0] ? gemm(g, keepY, false, false) : null,
                    needs[1] ? rightGradient(b, g, keepX) : null});
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

    /**
     * b's gradient uᵀ·v (xᵀ·g for x·b, gᵀ·a for a·bᵀ), added in place into a weight leaf's accumulated gradient when
     * the backward allows it (null then).
     */
    private static INDArray rightGradient(Tensor b, INDArray u, INDArray v) {
        if (Autograd.accumulatesInPlace(b)) {
            b.accumulateProduct(u, v, true, false);
            return null;
        }
        return gemm(u, v, true, false);
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
