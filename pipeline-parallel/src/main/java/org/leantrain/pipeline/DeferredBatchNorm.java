package org.leantrain.pipeline;

import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalization over dimension 0 of [n, features] inputs whose running statistics are deferred: each training
 * forward normalizes with its own micro-batch's statistics (so with M > 1 outputs and gradients differ from
 * full-batch BN — a limitation GPipe shares), but the statistics of all micro-batches of a step are merged with
 * Chan's parallel formula and committed once by {@link #commit}, so the running (eval) statistics equal those of
 * full-batch BN. Recomputed forwards ({@link Recomputation}) do not track.
 */
public final class DeferredBatchNorm extends Module {
    private final int features;
    private final double momentum;
    private final double eps;
    private final boolean unbiasedVariance;
    private final Tensor gamma;
    private final Tensor beta;
    private final INDArray runningMean;
    private final INDArray runningVar;
    // Chan accumulator of the current step: count, mean, M2 (float64 whatever the model's type)
    private long count;
    private double[] mean;
    private double[] m2;

    /**
     * @param unbiasedVariance commit M2/(n−1) as PyTorch's BatchNorm (true, the default of {@link #DeferredBatchNorm(int,
     *                         DataType)}) or M2/n as torchgpipe's DeferredBatchNorm (false)
     */
    public DeferredBatchNorm(int features, double momentum, double eps, boolean unbiasedVariance, DataType type) {
        if (features < 1) {
            throw new IllegalArgumentException("DeferredBatchNorm needs >= 1 feature, got " + features);
        }
        if (!(momentum > 0 && momentum <= 1)) {
            throw new IllegalArgumentException("momentum must be in (0, 1], got " + momentum);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be > 0, got " + eps);
        }
        this.features = features;
        this.momentum = momentum;
        this.eps = eps;
        this.unbiasedVariance = unbiasedVariance;
        this.gamma = parameter("weight", Tensor.parameter(Nd4j.ones(type, 1, features)));
        this.beta = parameter("bias", Tensor.parameter(Nd4j.zeros(type, 1, features)));
        this.runningMean = Nd4j.zeros(type, 1, features);
        this.runningVar = Nd4j.ones(type, 1, features);
    }

    public DeferredBatchNorm(int features, DataType type) {
        this(features, 0.1, 1e-5, true, type);
    }

    public INDArray runningMean() {
        return runningMean.dup();
    }

    public INDArray runningVar() {
        return runningVar.dup();
    }

    @Override
    protected Tensor compute(Tensor x) {
        if (x.rank() != 2 || x.size(1) != features) {
            throw new IllegalArgumentException("DeferredBatchNorm expects [n, " + features + "] inputs, got shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        if (!isTraining()) {
            Tensor mu = Tensor.of(runningMean);
            Tensor sd = Tensor.of(runningVar.add(eps)).sqrt();
            return x.sub(mu).div(sd).mul(gamma).add(beta);
        }
        if (x.size(0) < 2) {
            throw new IllegalArgumentException("DeferredBatchNorm in training needs micro-batches of >= 2 rows, got "
                    + x.size(0) + "; use fewer micro-batches (M) or a larger batch");
        }
        Tensor mu = x.mean(true, 0);
        Tensor centered = x.sub(mu);
        Tensor var = centered.square().mean(true, 0);
        if (!Recomputation.active()) {
            track(x.value());
        }
        return centered.div(var.add(eps).sqrt()).mul(gamma).add(beta);
    }

    /** Merges this micro-batch's (n, mean, M2) into the step's accumulator (Chan et al.). */
    private void track(INDArray x) {
        INDArray xd = x.castTo(DataType.DOUBLE);
        long nb = x.size(0);
        double[] meanB = xd.mean(0).toDoubleVector();
        double[] m2B = xd.subRowVector(xd.mean(0)).muli(xd.subRowVector(xd.mean(0))).sum(0).toDoubleVector();
        if (count == 0) {
            count = nb;
            mean = meanB;
            m2 = m2B;
            return;
        }
        long n = count + nb;
        for (int f = 0; f < features; f++) {
            double delta = meanB[f] - mean[f];
            mean[f] += delta * nb / n;
            m2[f] += m2B[f] + delta * delta * count * nb / n;
        }
        count = n;
    }

    /** Applies the merged statistics of this step to the running ones: running ← (1−mom)·running + mom·stat. */
    public void commit() {
        if (count == 0) {
            return;
        }
        double denominator = unbiasedVariance ? Math.max(1, count - 1) : count;
        double[] var = new double[features];
        for (int f = 0; f < features; f++) {
            var[f] = m2[f] / denominator;
        }
        DataType type = runningMean.dataType();
        runningMean.muli(1 - momentum).addi(Nd4j.create(mean, new long[] {1, features}, type).muli(momentum));
        runningVar.muli(1 - momentum).addi(Nd4j.create(var, new long[] {1, features}, type).muli(momentum));
        discard();
    }

    /** Forgets the statistics tracked since the last commit (a failed step). */
    public void discard() {
        count = 0;
        mean = null;
        m2 = null;
    }

    /** Commits every DeferredBatchNorm inside {@code module}. */
    public static void commitAll(Module module) {
        forEach(module, true);
    }

    /** Discards the pending statistics of every DeferredBatchNorm inside {@code module}. */
    public static void discardAll(Module module) {
        forEach(module, false);
    }

    private static void forEach(Module module, boolean commit) {
        if (module instanceof DeferredBatchNorm bn) {
            if (commit) {
                bn.commit();
            } else {
                bn.discard();
            }
        }
        module.children().values().forEach(c -> forEach(c, commit));
    }
}
