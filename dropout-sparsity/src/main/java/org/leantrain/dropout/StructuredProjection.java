package org.leantrain.dropout;

import org.leantrain.core.tensor.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Structured dropout at one site followed by the linear map it feeds, on the kept units only. For every step t,
 * with K = K_t and X^K = A_t[K]·κ_t:
 * <pre>
 *   forward          P_t = (Wᵀ[K])ᵀ X^K + b                 (inner dimension n → k)
 *   input gradient   dA_t[K] = κ_t · Wᵀ[K] dP_t; other rows 0 (output rows n → k)
 *   weight gradient  dWᵀ[K] += X^K dP_tᵀ; other rows untouched
 * </pre>
 * Activations are feature-major: A is [T, n, B], P is [T, N, B], Wᵀ is [n, N] (input-major, so a kept set is a
 * set of contiguous rows). Saves A_t[K] (k × B) per step; Wᵀ[K] is gathered again in backward (the default) or
 * kept from the forward pass. Per step and pass it issues one GEMM and no other ND4J op besides allocations:
 * gathers and scatters are Java copies, κ is the GEMM's alpha, the bias is added once per segment.
 */
final class StructuredProjection extends Function {
    private final int[][] kept;
    private final double[] scales;
    private final boolean keepGatheredWeights;

    /**
     * @param keepGatheredWeights save each step's Wᵀ[K] (k × N) for backward instead of gathering it again: one row
     *                            copy fewer per step for k × N more saved bytes per step
     */
    StructuredProjection(int[][] kept, double[] scales, boolean keepGatheredWeights) {
        this.kept = kept;
        this.scales = scales;
        this.keepGatheredWeights = keepGatheredWeights;
    }

    @Override
    protected INDArray[] forward(Context ctx, INDArray... in) {
        INDArray a = Rows.contiguous(in[0]);
        INDArray weightT = Rows.contiguous(in[1]);
        checkShapes(a, weightT);
        long steps = a.size(0);
        long width = weightT.size(1);
        INDArray out = Nd4j.create(a.dataType(), steps, width, a.size(2));
        for (int t = 0; t < steps; t++) {
            if (kept[t].length > 0) {
                // κ enters as the GEMM's alpha: X^K = κ·A_t[K] is never formed.
                INDArray packed = Rows.gather(Block.step(a, t), kept[t]);
                INDArray packedWeightT = Rows.gather(weightT, kept[t]);
                Gemm.multiply(Block.of(packedWeightT), true, Block.of(packed), false, Block.step(out, t), scales[t], 0.0);
                ctx.save(packed);
                if (keepGatheredWeights) {
                    ctx.save(packedWeightT);
                }
            }
        }
        out.addi(in[2].reshape(1, width, 1));
        ctx.put("weightT", weightT);
        ctx.put("inputShape", a.shape());
        return new INDArray[] {out};
    }

    @Override
    protected INDArray[] backward(Context ctx, INDArray... gradOut) {
        INDArray dOut = Rows.contiguous(gradOut[0]);
        INDArray weightT = ctx.get("weightT");
        long[] inputShape = ctx.get("inputShape");
        boolean needInput = ctx.needsInputGrad(0);
        boolean needWeight = ctx.needsInputGrad(1);
        INDArray dA = needInput ? Nd4j.zeros(dOut.dataType(), inputShape) : null;
        INDArray dWeightT = needWeight ? Nd4j.zeros(dOut.dataType(), weightT.shape()) : null;
        int saved = 0;
        for (int t = 0; t < kept.length; t++) {
            if (kept[t].length == 0) {
                continue;
            }
            INDArray packed = ctx.saved(saved++);
            INDArray packedWeightT = keepGatheredWeights ? ctx.saved(saved++) : null;
            Block dOutT = Block.step(dOut, t);
            if (needInput) {
                if (packedWeightT == null) {
                    packedWeightT = Rows.gather(weightT, kept[t]);
                }
                INDArray dPacked = Nd4j.createUninitialized(dOut.dataType(), kept[t].length, dOut.size(2));
                Gemm.multiply(Block.of(packedWeightT), false, dOutT, false, Block.of(dPacked), scales[t], 0.0);
                Rows.put(Block.step(dA, t), kept[t], dPacked);
            }
            if (needWeight) {
                INDArray dWeightK = Nd4j.createUninitialized(dOut.dataType(), kept[t].length, weightT.size(1));
                Gemm.multiply(Block.of(packed), false, dOutT, true, Block.of(dWeightK), scales[t], 0.0);
                Rows.add(dWeightT, kept[t], dWeightK);
            }
        }
        INDArray dBias = ctx.needsInputGrad(2) ? dOut.sum(0, 2) : null;
        return new INDArray[] {dA, dWeightT, dBias};
    }

    private void checkShapes(INDArray a, INDArray weightT) {
        if (a.rank() != 3 || a.size(0) != kept.length || a.size(1) != weightT.size(0)) {
            throw new IllegalArgumentException("structured projection expects activations [" + kept.length + ", "
                    + weightT.size(0) + ", B], got " + java.util.Arrays.toString(a.shape()));
        }
    }
}
