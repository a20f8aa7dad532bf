package org.leantrain.pipeline.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.leantrain.core.data.BatchIterator;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.optim.Optimizer;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.leantrain.pipeline.CheckpointMode;
import org.leantrain.pipeline.LossFn;
import org.leantrain.pipeline.MicroBatcher;
import org.leantrain.pipeline.NonPipelinedTrainer;
import org.leantrain.pipeline.Pipeline;
import org.leantrain.pipeline.PipelineConfig;
import org.leantrain.pipeline.Schedule;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Experiment E1 of spec §7: the MLP 784 → 8×1024 (ReLU) → 10 trained with AdamW (lr 1e-3) on MNIST batches of 256,
 * non-pipelined and as K = 2, M = 4 pipelines (GPipe + ALWAYS, 1F1B + NEVER), from the same weights on the same
 * batches. Pipelining must change nothing but summation order.
 */
public final class MnistEquivalenceRun {
    public static final int BATCH = 256;
    private static final double LR = 1e-3;
    private static final double WEIGHT_DECAY = 0.01;

    /**
     * A training variant: a pipeline, or (null config) the one-thread baseline over {@code baselineMicroBatches}
     * micro-batches — 1 is ordinary training, 4 plain gradient accumulation in the order 1F1B accumulates.
     */
    public record Variant(String name, PipelineConfig config, int baselineMicroBatches) {}

    /** Per-step losses and final test accuracy of one variant and seed. */
    public record Result(Variant variant, long seed, double[] losses, double testAccuracy) {}

    private MnistEquivalenceRun() {}

    public static List<Variant> variants() {
        int[] balance = MicroBatcher.sizes(model(new Rng(0)).layers().size(), 2);
        return List.of(new Variant("non-pipelined", null, 1), new Variant("grad-accumulation M=4", null, 4),
                new Variant("K=2 M=4 GPIPE/ALWAYS", new PipelineConfig(balance, 4, CheckpointMode.ALWAYS,
                        Schedule.GPIPE, 1, 0, false), 0),
                new Variant("K=2 M=4 1F1B/NEVER", new PipelineConfig(balance, 4, CheckpointMode.NEVER,
                        Schedule.ONE_F_ONE_B, 1, 0, false), 0));
    }

    /** 784 → 8 hidden layers of 1024 with ReLU → 10. */
    public static Sequential model(Rng rng) {
        Sequential m = new Sequential(new Linear(784, 1024, rng), Sequential.lambda(Tensor::relu));
        for (int i = 1; i < 8; i++) {
            m.add(new Linear(1024, 1024, rng));
            m.add(Sequential.lambda(Tensor::relu));
        }
        return m.add(new Linear(1024, 10, rng));
    }

    /**
     * Trains one variant for {@code steps} steps from seed {@code seed}; {@code baselineThreads} native threads for
     * the non-pipelined variant (pipelines use one per stage). {@code onStep} hears (step, loss).
     */
    public static Result train(Variant variant, Dataset train, Dataset test, int steps, long seed, int baselineThreads,
                               java.util.function.ObjIntConsumer<Double> onStep) {
        Sequential model = model(new Rng(seed));
        Function<List<Tensor>, Optimizer> adamW = p -> Adam.adamW(p, LR, WEIGHT_DECAY);
        BatchIterator batches = null;
        Rng order = new Rng(seed + 1000);
        double[] losses = new double[steps];
        Pipeline pipeline = variant.config() == null ? null : Pipeline.of(model, variant.config(), adamW);
        NonPipelinedTrainer baseline = pipeline == null
                ? new NonPipelinedTrainer(model, adamW, variant.baselineMicroBatches(), baselineThreads, 0) : null;
        try {
            for (int step = 0; step < steps; step++) {
                if (batches == null || !batches.hasNext()) {
                    batches = new BatchIterator(train, BATCH, order);
                }
                Dataset batch = batches.next();
                Tensor x = Tensor.of(batch.features());
                Tensor y = Tensor.of(labels(batch.labels()));
                losses[step] = pipeline != null ? pipeline.trainStep(x, y, LossFn.crossEntropy()).loss()
                        : baseline.trainStep(x, y, LossFn.crossEntropy());
                onStep.accept(losses[step], step);
            }
            return new Result(variant, seed, losses, accuracy(pipeline, model, test));
        } finally {
            if (pipeline != null) {
                pipeline.close();
            }
        }
    }

    private static double accuracy(Pipeline pipeline, Module model, Dataset test) {
        int correct = 0;
        for (int start = 0; start < test.size(); start += 1000) {
            int n = Math.min(1000, test.size() - start);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = start + i;
            }
            Dataset part = test.select(idx);
            INDArray logits;
            if (pipeline != null) {
                logits = pipeline.predict(Tensor.of(part.features())).value();
            } else {
                model.eval();
                try (GradMode.Scope noGrad = GradMode.noGrad()) {
                    logits = model.forward(Tensor.of(part.features())).value();
                } finally {
                    model.train(true);
                }
            }
            int[] predicted = logits.argMax(1).toIntVector();
            for (int i = 0; i < n; i++) {
                correct += predicted[i] == part.label(i) ? 1 : 0;
            }
        }
        return (double) correct / test.size();
    }

    private static INDArray labels(int[] labels) {
        double[] v = new double[labels.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = labels[i];
        }
        return Nd4j.create(v, new long[] {v.length, 1}, DataType.FLOAT);
    }

    /** max over the first {@code steps} steps of |𝓛_variant − 𝓛_baseline| / 𝓛_baseline. */
    public static double maxRelativeLossDiff(double[] variant, double[] baseline, int steps) {
        double worst = 0;
        for (int i = 0; i < Math.min(steps, baseline.length); i++) {
            worst = Math.max(worst, Math.abs(variant[i] - baseline[i]) / Math.abs(baseline[i]));
        }
        return worst;
    }

    /** Results grouped by variant, in {@link #variants()} order. */
    public static List<List<Result>> byVariant(List<Result> results) {
        List<List<Result>> grouped = new ArrayList<>();
        for (Variant v : variants()) {
            grouped.add(results.stream().filter(r -> r.variant().name().equals(v.name())).toList());
        }
        return grouped;
    }
}
