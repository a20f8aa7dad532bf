package org.leantrain.core.tensor;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The patch matrix of a convolution and its adjoint, as plain loops over the arrays' NIO buffers with a cached index
 * map per geometry (libnd4j's im2col, conv2d and especially conv2d_bp were 4–10× slower than these loops plus gemms
 * on the 2-core machine: cnn7's training step 170 → 43 ms).
 *
 * <p>Layout: for input x [N, C, H, W], kernel kH × kW, stride s, padding p and output oH × oW, the patch matrix is
 * [C·kH·kW, N·oH·oW] in c order: row (c, ki, kj), column (n, oi, oj) holds x[n, c, oi·s − p + ki, oj·s − p + kj] (0 in
 * the padding). A convolution is then W[O, C·kH·kW] × patches.
 */
final class Im2Col {
    private final int n;
    private final int c;
    private final int h;
    private final int w;
    private final int kh;
    private final int kw;
    private final int stride;
    private final int pad;
    private final int outH;
    private final int outW;

    Im2Col(long[] xShape, int kh, int kw, int stride, int pad, long outH, long outW) {
        this.n = Math.toIntExact(xShape[0]);
        this.c = Math.toIntExact(xShape[1]);
        this.h = Math.toIntExact(xShape[2]);
        this.w = Math.toIntExact(xShape[3]);
        this.kh = kh;
        this.kw = kw;
        this.stride = stride;
        this.pad = pad;
        this.outH = Math.toIntExact(outH);
        this.outW = Math.toIntExact(outW);
    }

    long rows() {
        return (long) c * kh * kw;
    }

    long columns() {
        return (long) n * outH * outW;
    }

    /**
     * The patch matrix of x (any layout), c-order [C·kH·kW, N·oH·oW] of x's type, in a per-thread scratch array: valid
     * until the next call on this thread of the same size, so use it at once (one gemm) and keep nothing of it.
     */
    INDArray patches(INDArray x) {
        int[] source = sampleSourceIndex();
        INDArray xc = x.isView() || x.ordering() != 'c' ? x.dup('c') : x;
        INDArray cols = Scratch.get(x.dataType(), rows(), columns());
        int positions = outH * outW;
        int sample = c * h * w;
        int rows = (int) rows();
        int offset = Math.toIntExact(xc.offset());
        if (x.dataType() == DataType.DOUBLE) {
            DoubleBuffer src = xc.data().asNio().asDoubleBuffer();
            DoubleBuffer dst = cols.data().asNio().asDoubleBuffer();
            for (int r = 0, at = 0; r < rows; r++) {
                for (int ni = 0; ni < n; ni++) {
                    int base = offset + ni * sample;
                    for (int q = 0, from = r * positions; q < positions; q++, at++) {
                        int in = source[from + q];
                        dst.put(at, in < 0 ? 0 : src.get(base + in));
                    }
                }
            }
            return cols;
        }
        FloatBuffer src = xc.data().asNio().asFloatBuffer();
        FloatBuffer dst = cols.data().asNio().asFloatBuffer();
        for (int r = 0, at = 0; r < rows; r++) {
            for (int ni = 0; ni < n; ni++) {
                int base = offset + ni * sample;
                for (int q = 0, from = r * positions; q < positions; q++, at++) {
                    int in = source[from + q];
                    dst.put(at, in < 0 ? 0 : src.get(base + in));
                }
            }
        }
        return cols;
    }

    /** The adjoint of {@link #patches}: sums each patch-matrix entry back into its input position, new [N, C, H, W]. */
    INDArray accumulate(INDArray patchGrads) {
        int[] source = sampleSourceIndex();
        INDArray g = patchGrads.isView() || patchGrads.ordering() != 'c' ? patchGrads.dup('c') : patchGrads;
        int positions = outH * outW;
        int sample = c * h * w;
        int rows = (int) rows();
        int offset = Math.toIntExact(g.offset());
        if (g.dataType() == DataType.DOUBLE) {
            DoubleBuffer src = g.data().asNio().asDoubleBuffer();
            double[] out = new double[n * sample];
            for (int r = 0, at = offset; r < rows; r++) {
                for (int ni = 0; ni < n; ni++) {
                    int base = ni * sample;
                    for (int q = 0, from = r * positions; q < positions; q++, at++) {
                        int in = source[from + q];
                        if (in >= 0) {
                            out[base + in] += src.get(at);
                        }
                    }
                }
            }
            INDArray result = Nd.empty(DataType.DOUBLE, n, c, h, w);
            result.data().asNio().asDoubleBuffer().put(0, out);
            return result;
        }
        FloatBuffer src = g.data().asNio().asFloatBuffer();
        float[] out = new float[n * sample];
        for (int r = 0, at = offset; r < rows; r++) {
            for (int ni = 0; ni < n; ni++) {
                int base = ni * sample;
                for (int q = 0, from = r * positions; q < positions; q++, at++) {
                    int in = source[from + q];
                    if (in >= 0) {
                        out[base + in] += src.get(at);
                    }
                }
            }
        }
        INDArray result = Nd.empty(DataType.FLOAT, n, c, h, w);
        result.data().asNio().asFloatBuffer().put(0, out);
        return result;
    }

    /**
     * Reused patch matrices per thread, by type and shape (a network has a few conv geometries; at most 8 kept),
     * allocated outside any ND4J workspace: a {@link StepMemory} step recycles its arrays, these must survive it.
     */
    private static final class Scratch {
        private static final ThreadLocal<java.util.Map<String, INDArray>> ARRAYS = ThreadLocal.withInitial(
                () -> new java.util.LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(java.util.Map.Entry<String, INDArray> eldest) {
                        return size() > 8;
                    }
                });

        static INDArray get(DataType type, long rows, long columns) {
            return ARRAYS.get().computeIfAbsent(type + ":" + rows + "x" + columns,
                    key -> StepMemory.outside(() -> Nd4j.createUninitialized(type, rows, columns)));
        }
    }

    private record Geometry(int c, int h, int w, int kh, int kw, int stride, int pad) {}

    /** Index maps of one sample by geometry: a network has a handful, each reused every step (C·kH·kW·oH·oW ints). */
    private static final java.util.Map<Geometry, int[]> MAPS = new java.util.concurrent.ConcurrentHashMap<>();

    /** For row (c, ki, kj) and output position (oi, oj) of one sample, the flat input index in that sample, or −1. */
    private int[] sampleSourceIndex() {
        return MAPS.computeIfAbsent(new Geometry(c, h, w, kh, kw, stride, pad), g -> buildSampleSourceIndex());
    }

    private int[] buildSampleSourceIndex() {
        int positions = outH * outW;
        int[] source = new int[Math.toIntExact(rows() * positions)];
        java.util.Arrays.fill(source, -1);
        for (int ci = 0; ci < c; ci++) {
            for (int ki = 0; ki < kh; ki++) {
                for (int kj = 0; kj < kw; kj++) {
                    int rowBase = ((ci * kh + ki) * kw + kj) * positions;
                    for (int oi = 0; oi < outH; oi++) {
                        int ii = oi * stride - pad + ki;
                        if (ii < 0 || ii >= h) {
                            continue;
                        }
                        for (int oj = 0; oj < outW; oj++) {
                            int jj = oj * stride - pad + kj;
                            if (jj >= 0 && jj < w) {
                                source[rowBase + oi * outW + oj] = (ci * h + ii) * w + jj;
                            }
                        }
                    }
                }
            }
        }
        return source;
    }
}
