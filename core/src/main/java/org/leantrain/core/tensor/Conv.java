package org.leantrain.core.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-D convolution and pooling on NCHW tensors. Convolution is a patch matrix ({@link Im2Col}) times the weight in one
 * gemm, and its backward two gemms plus the patch matrix's adjoint; pooling runs libnd4j's pool kernels and their _bp
 * kernels as backward. Weights are [outChannels, inChannels, kH, kW] as in PyTorch.
 */
public final class Conv {
    private Conv() {}

    private static final int NCHW = 0;
    private static final int COUNT_PADDING = 1;

    /** conv2d(x [N,C,H,W], w [O,C,kH,kW], bias [O] or null) with square stride and zero padding. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int stride, int padding) {
        Tape.sameType("conv2d", x, w);
        long[] xs = x.shape();
        long[] ws = w.shape();
        if (xs.length != 4 || ws.length != 4) {
            throw new IllegalArgumentException("conv2d: expects input [N,C,H,W] and weight [O,C,kH,kW], got "
                    + Nd.shape(xs) + " and " + Nd.shape(ws));
        }
        if (xs[1] != ws[1]) {
            throw new IllegalArgumentException("conv2d: input has " + xs[1] + " channels " + Nd.shape(xs)
                    + " but the weight expects " + ws[1] + " " + Nd.shape(ws));
        }
        if (bias != null) {
            Tape.sameType("conv2d", x, bias);
            if (bias.rank() != 1 || bias.size(0) != ws[0]) {
                throw new IllegalArgumentException("conv2d: bias must be [" + ws[0] + "], got " + Nd.shape(bias.shape()));
            }
        }
        checkWindow("conv2d", stride, padding);
        int kH = (int) ws[2];
        int kW = (int) ws[3];
        long oH = outSize("conv2d", xs[2], kH, stride, padding);
        long oW = outSize("conv2d", xs[3], kW, stride, padding);
        Im2Col geometry = new Im2Col(xs, kH, kW, stride, padding, oH, oW);
        long outChannels = ws[0];
        long positions = oH * oW;
        INDArray xv = x.value();
        INDArray wv = w.value();
        INDArray w2 = wv.reshape('c', outChannels, geometry.rows());
        // out[O, N·oH·oW] = W[O, C·kH·kW] × patches, then to NCHW
        INDArray out2 = MatMul.gemm(w2, geometry.patches(xv), false, false);
        INDArray out = out2.reshape('c', outChannels, xs[0], positions).permute(1, 0, 2).dup('c')
                .reshape('c', xs[0], outChannels, oH, oW);
        if (bias != null) {
            out.addi(bias.value().reshape(1, outChannels, 1, 1));
        }
        Tensor[] inputs = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        // the input is needed only for the weight gradient: a frozen weight's layer does not keep it
        INDArray keepX = w.requiresGrad() ? xv : null;
        return Tape.record("conv2d", out, inputs, Tape.saved(keepX, wv), (g, needs) -> {
            INDArray g2 = g.reshape('c', xs[0], outChannels, positions).permute(1, 0, 2).dup('c')
                    .reshape('c', outChannels, xs[0] * positions);
            INDArray gx = needs[0] ? geometry.accumulate(MatMul.gemm(w2, g2, true, false)) : null;
            INDArray gw = needs[1] && keepX != null
                    ? MatMul.gemm(g2, geometry.patches(keepX), false, true).reshape('c', ws) : null;
            INDArray gb = bias != null && needs[2] ? g2.sum(1) : null;
            return bias == null ? new INDArray[] {gx, gw} : new INDArray[] {gx, gw, gb};
        });
    }

    /** Max pooling with a square window; the gradient goes to the maximum of each window. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return pool("maxpool2d", x, kernel, stride, padding);
    }

    /** Average pooling with a square window; padded zeros count in the divisor (PyTorch's default). */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return pool("avgpool2d", x, kernel, stride, padding);
    }

    private static Tensor pool(String op, Tensor x, int kernel, int stride, int padding) {
        long[] xs = x.shape();
        if (xs.length != 4) {
            throw new IllegalArgumentException(op + ": expects input [N,C,H,W], got " + Nd.shape(xs));
        }
        if (kernel < 1) {
            throw new IllegalArgumentException(op + ": kernel must be >= 1, got " + kernel);
        }
        checkWindow(op, stride, padding);
        if (2 * padding > kernel) {
            throw new IllegalArgumentException(op + ": padding " + padding + " must be at most half the kernel " + kernel);
        }
        long oH = outSize(op, xs[2], kernel, stride, padding);
        long oW = outSize(op, xs[3], kernel, stride, padding);
        int[] args = {kernel, kernel, stride, stride, padding, padding, 1, 1, 0, COUNT_PADDING, NCHW};
        INDArray xv = x.value();
        INDArray out = Nd.empty(x.dataType(), xs[0], xs[1], oH, oW);
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(xv).addIntegerArguments(args).addOutputs(out).build());
        return Tape.record(op, out, new Tensor[] {x}, Tape.saved(xv), (g, needs) -> {
            INDArray gx = Nd.empty(xv.dataType(), xv.shape());
            Nd4j.exec(DynamicCustomOp.builder(op + "_bp").addInputs(xv, g).addIntegerArguments(args)
                    .addOutputs(gx).build());
            return new INDArray[] {gx};
        });
    }

    private static void checkWindow(String op, int stride, int padding) {
        if (stride < 1 || padding < 0) {
            throw new IllegalArgumentException(op + ": stride must be >= 1 and padding >= 0, got stride " + stride
                    + ", padding " + padding);
        }
    }

    private static long outSize(String op, long in, int kernel, int stride, int padding) {
        long out = (in + 2L * padding - kernel) / stride + 1;
        if (out < 1) {
            throw new IllegalArgumentException(op + ": window " + kernel + " with padding " + padding
                    + " does not fit an input of size " + in);
        }
        return out;
    }
}
