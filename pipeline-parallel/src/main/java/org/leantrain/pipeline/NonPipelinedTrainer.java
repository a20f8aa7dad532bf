package org.leantrain.pipeline;

import java.util.List;
import java.util.function.Function;
import org.leantrain.core.nn.Module;
import org.leantrain.core.optim.GradClip;
import org.leantrain.core.optim.Optimizer;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Threads;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The baselines of spec §5 on the calling thread: with M = 1 ordinary training on the whole mini-batch (the
 * equivalence and speed reference); with M > 1 plain gradient accumulation over the same balanced micro-batches
 * and ω_m seeds as the pipeline, run one after another, which isolates the pipelining gain from micro-batching.
 */
public final class NonPipelinedTrainer {
    private final Module model;
    private final Optimizer optimizer;
    private final int microBatches;
    private final int threads;
    private final double clipNorm;
    private long step;
    private long peakSavedBytes;

    /**
     * @param threads  native threads used by the calling thread's ops (pinned at each step)
     * @param clipNorm global gradient-norm clip, or 0 for none
     */
    public NonPipelinedTrainer(Module model, Function<List<Tensor>, Optimizer> optimizer, int microBatches, int threads,
                               double clipNorm) {
        if (microBatches < 1) {
            throw new IllegalArgumentException("microBatches must be >= 1, got " + microBatches);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (clipNorm < 0 || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be > 0 (or 0 for no clipping), got " + clipNorm);
        }
        this.model = model;
        this.optimizer = optimizer.apply(model.trainableParameters());
        this.microBatches = microBatches;
        this.threads = threads;
        this.clipNorm = clipNorm;
    }

    /** Ordinary full-batch training on {@code threads} native threads. */
    public static NonPipelinedTrainer fullBatch(Module model, Function<List<Tensor>, Optimizer> optimizer, int threads) {
        return new NonPipelinedTrainer(model, optimizer, 1, threads, 0);
    }

    /** One step; returns the mini-batch loss Σ_m ω_m·𝓛_m. */
    public double trainStep(Tensor x, Tensor y, LossFn loss) {
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("input has " + x.size(0) + " rows but target has " + y.size(0));
        }
        Threads.setNd4jThreads(threads);
        int[] sizes = MicroBatcher.sizes(Math.toIntExact(x.size(0)), microBatches);
        int[] offsets = MicroBatcher.offsets(sizes);
        List<Tensor> xs = microBatches == 1 ? List.of(x) : MicroBatcher.scatter(x, microBatches);
        List<Tensor> ys = microBatches == 1 ? List.of(y) : MicroBatcher.scatter(y, microBatches);
        double[] weights = LossFn.seedWeights(loss, ys);
        double total = 0;
        Memory.reset();
        try (StepMemory memory = StepMemory.open()) {
            for (int m = 0; m < microBatches; m++) {
                Tensor l;
                try (var rows = KeyedDropout.rows(step, offsets[m])) {
                    l = loss.loss(model.forward(xs.get(m)), ys.get(m));
                }
                double value = l.item();
                if (!Double.isFinite(value)) {
                    l.releaseGraph();
                    abandon();
                    throw new ArithmeticException("loss of micro-batch " + m + " at step " + step + " is " + value
                            + "; the step was abandoned and no parameter changed");
                }
                total += weights[m] * value;
                l.backward(Nd4j.scalar(l.dataType(), weights[m]).reshape(l.shape()));
            }
            if (clipNorm > 0) {
                try {
                    GradClip.clipGlobalNorm(optimizer.parameters(), clipNorm);
                } catch (ArithmeticException e) {
                    abandon();
                    throw e;
                }
            }
            optimizer.step();
            optimizer.zeroGrad();
        }
        DeferredBatchNorm.commitAll(model);
        peakSavedBytes = Memory.peakSavedBytes();
        step++;
        return total;
    }

    private void abandon() {
        optimizer.zeroGrad();
        DeferredBatchNorm.discardAll(model);
    }

    /** Peak bytes held for backward during the last step. */
    public long peakSavedBytes() {
        return peakSavedBytes;
    }

    public Module model() {
        return model;
    }
}
