package org.leantrain.dropout;

import org.leantrain.core.tensor.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dropout at one site as a multiplied-in mask, followed by dense GEMMs: P_t = Wᵀᵀ (A_t ⊙ M_t) + b. The mask holds
 * 0 or κ and broadcasts against A [T, n, B]: [T, n, 1] for a Case III mask, [T, n, B] for Case I, null for none.
 *
 * <p>Per step, one (N × n)·(n × B) GEMM per step as the structured path does; fused, the steps form one
 * (N × n)·(n × T·B) GEMM, the strongest dense schedule (it costs two layout copies of the activations).
 * Saves the masked input.
 */
final class DenseProjection extends Function {
    private final INDArray mask;
    private final boolean fused;

    DenseProjection(INDArray mask, boolean fused) {
        this.mask = mask;
        this.fused = fused;
    }

    @Override
    protected INDArray[] forward(Context ctx, INDArray... in) {
        INDArray a = Rows.contiguous(in[0]);
        INDArray weightT = in[1];
        if (a.rank() != 3 || a.size(1) != weightT.size(0)) {
            throw new IllegalArgumentException("dense projection expects activations [T, " + weightT.size(0)
                    + ", B], got " + java.util.Arrays.toString(a.shape()));
        }
        long steps = a.size(0);
        long batch = a.size(2);
        long width = weightT.size(1);
        INDArray masked = mask == null ? a : masked(a);
        INDArray out;
        if (fused) {
            INDArray wide = toWide(masked);
            ctx.save(wide);
            out = fromWide(Gemm.multiply(weightT, true, wide, false, 1.0), steps, batch);
        } else {
            ctx.save(masked);
            out = Nd4j.create(a.dataType(), steps, width, batch);
            for (int t = 0; t < steps; t++) {
                Gemm.multiply(Block.of(weightT), true, Block.step(masked, t), false, Block.step(out, t), 1.0, 0.0);
            }
        }
        out.addi(in[2].reshape(1, width, 1));
        ctx.put("weightT", weightT);
        return new INDArray[] {out};
    }

    @Override
    protected INDArray[] backward(Context ctx, INDArray... gradOut) {
        INDArray dOut = Rows.contiguous(gradOut[0]);
        INDArray weightT = ctx.get("weightT");
        INDArray saved = ctx.saved(0);
        long steps = dOut.size(0);
        long batch = dOut.size(2);
        INDArray dMasked = null;
        INDArray dWeightT = null;
        if (fused) {
            INDArray dWide = toWide(dOut);
            if (ctx.needsInputGrad(1)) {
                dWeightT = Gemm.multiply(saved, false, dWide, true, 1.0);
            }
            if (ctx.needsInputGrad(0)) {
                dMasked = fromWide(Gemm.multiply(weightT, false, dWide, false, 1.0), steps, batch);
            }
        } else {
            dMasked = ctx.needsInputGrad(0) ? Nd4j.create(dOut.dataType(), saved.shape()) : null;
            dWeightT = ctx.needsInputGrad(1) ? Nd4j.zeros(dOut.dataType(), weightT.shape()) : null;
            for (int t = 0; t < steps; t++) {
                Block dOutT = Block.step(dOut, t);
                if (dWeightT != null) {
                    Gemm.multiply(Block.step(saved, t), false, dOutT, true, Block.of(dWeightT), 1.0, 1.0);
                }
                if (dMasked != null) {
                    Gemm.multiply(Block.of(weightT), false, dOutT, false, Block.step(dMasked, t), 1.0, 0.0);
                }
            }
        }
        INDArray dA = dMasked == null || mask == null ? dMasked : masked(dMasked);
        INDArray dBias = ctx.needsInputGrad(2) ? dOut.sum(0, 2) : null;
        return new INDArray[] {dA, dWeightT, dBias};
    }

    private INDArray masked(INDArray x) {
        INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape());
        Nd4j.exec(new MulOp(x, mask, out));
        return out;
    }

    /** [T, n, B] → [n, T·B]: the steps side by side, so that one GEMM covers them all. */
    private static INDArray toWide(INDArray x) {
        return x.permute(1, 0, 2).dup('c').reshape(x.size(1), x.size(0) * x.size(2));
    }

    /** [N, T·B] → [T, N, B]. */
    private static INDArray fromWide(INDArray wide, long steps, long batch) {
        return wide.reshape(wide.size(0), steps, batch).permute(1, 0, 2).dup('c');
    }
}
