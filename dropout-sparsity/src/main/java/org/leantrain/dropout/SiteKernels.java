package org.leantrain.dropout;

import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The work of one dropout site at one time step, forward and both backward passes, as the model does it: a site
 * of n units feeding a weight Wᵀ [n, N] with batch B and one Case III mask. For the kernel benchmark:
 * <ul>
 *   <li>{@link #dense()}: mask multiplied in, three dense GEMMs (forward, input gradient, weight gradient);</li>
 *   <li>{@link #structured()}: gathers of A[K] and Wᵀ[K] (twice, as backward gathers again), three GEMMs with
 *       inner or output dimension k, the row scatter of dA and the row scatter-add of dWᵀ;</li>
 *   <li>{@link #structuredKeptWeights()}: the same with the forward's Wᵀ[K] reused by backward;</li>
 *   <li>{@link #denseGemms()} and {@link #structuredGemms()}: the three GEMMs alone, on prepared operands.</li>
 * </ul>
 * Each body runs in a {@link StepMemory} scope, as a training step does.
 */
public final class SiteKernels {
    private final INDArray activations;
    private final INDArray weightT;
    private final INDArray gradOut;
    private final INDArray mask;
    private final int[] kept;
    private final double scale;
    private final INDArray packedActivations;
    private final INDArray packedWeightT;
    private final INDArray out;
    private final INDArray dActivations;
    private final INDArray dPacked;
    private final INDArray dWeightT;
    private final INDArray dPackedWeightT;

    public SiteKernels(int units, int outputs, int batch, double p, DataType type, Rng rng) {
        activations = rng.normal(type, 0, 1, units, batch);
        weightT = rng.normal(type, 0, 0.05, units, outputs);
        gradOut = rng.normal(type, 0, 1, outputs, batch);
        StructuredMaskSampler sampler = new StructuredMaskSampler(p, MaskMode.FIXED_COUNT);
        kept = sampler.keptIndices(units, rng);
        scale = sampler.scale(units, kept.length);
        double[] m = new double[units];
        for (int j : kept) {
            m[j] = scale;
        }
        mask = Nd4j.createFromArray(m).castTo(type).reshape(units, 1);
        packedActivations = Rows.gather(activations, kept);
        packedWeightT = Rows.gather(weightT, kept);
        out = Nd4j.create(type, outputs, batch);
        dActivations = Nd4j.create(type, units, batch);
        dPacked = Nd4j.create(type, kept.length, batch);
        dWeightT = Nd4j.create(type, units, outputs);
        dPackedWeightT = Nd4j.create(type, kept.length, outputs);
    }

    /** Kept units k. */
    public int kept() {
        return kept.length;
    }

    public Runnable dense() {
        return () -> {
            try (StepMemory ignored = StepMemory.open()) {
                INDArray masked = Nd4j.createUninitialized(activations.dataType(), activations.shape());
                Nd4j.exec(new MulOp(activations, mask, masked));
                Gemm.multiply(weightT, true, masked, false, out, 1.0, 0.0);
                Gemm.multiply(weightT, false, gradOut, false, dActivations, 1.0, 0.0);
                Nd4j.exec(new MulOp(dActivations, mask, dActivations));
                Gemm.multiply(masked, false, gradOut, true, dWeightT, 1.0, 1.0);
            }
        };
    }

    public Runnable denseGemms() {
        return () -> {
            Gemm.multiply(weightT, true, activations, false, out, 1.0, 0.0);
            Gemm.multiply(weightT, false, gradOut, false, dActivations, 1.0, 0.0);
            Gemm.multiply(activations, false, gradOut, true, dWeightT, 1.0, 1.0);
        };
    }

    public Runnable structured() {
        return () -> {
            try (StepMemory ignored = StepMemory.open()) {
                INDArray packed = Rows.gather(activations, kept);
                Gemm.multiply(Rows.gather(weightT, kept), true, packed, false, out, scale, 0.0);
                INDArray dPackedNow = Gemm.multiply(Rows.gather(weightT, kept), false, gradOut, false, scale);
                Rows.put(Block.of(dActivations), kept, dPackedNow);
                Rows.add(dWeightT, kept, Gemm.multiply(packed, false, gradOut, true, scale));
            }
        };
    }

    /** As {@link #structured()}, with the forward pass's Wᵀ[K] reused by backward (no second gather). */
    public Runnable structuredKeptWeights() {
        return () -> {
            try (StepMemory ignored = StepMemory.open()) {
                INDArray packed = Rows.gather(activations, kept);
                INDArray packedWeights = Rows.gather(weightT, kept);
                Gemm.multiply(packedWeights, true, packed, false, out, scale, 0.0);
                Rows.put(Block.of(dActivations), kept, Gemm.multiply(packedWeights, false, gradOut, false, scale));
                Rows.add(dWeightT, kept, Gemm.multiply(packed, false, gradOut, true, scale));
            }
        };
    }

    public Runnable structuredGemms() {
        return () -> {
            Gemm.multiply(packedWeightT, true, packedActivations, false, out, scale, 0.0);
            Gemm.multiply(packedWeightT, false, gradOut, false, dPacked, scale, 0.0);
            Gemm.multiply(packedActivations, false, gradOut, true, dPackedWeightT, scale, 0.0);
        };
    }
}
