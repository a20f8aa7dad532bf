package org.leantrain.layerselect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.data.BatchIterator;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Module;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Progress;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains only the selected layers (spec §3F): everything else is frozen, so layers before the first trainable one
 * record nothing on the tape, frozen layers after it keep only what their input gradient needs, and Adam holds
 * state for the selected parameters alone.
 */
public final class SelectiveTrainer {
    /** Adam moments per parameter (m, v). */
    private static final int ADAM_STATES = 2;
    /** Rows per evaluation forward (bounded so that the conv patch matrices stay small). */
    private static final int EVAL_BATCH = 128;

    /** Adam settings of one run. */
    public record Settings(int epochs, int batchSize, double learningRate) {
        public Settings {
            if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("epochs and batchSize must be >= 1 and learningRate a positive "
                        + "finite number, got epochs=" + epochs + ", batchSize=" + batchSize + ", learningRate="
                        + learningRate);
            }
        }
    }

    /** Freezes every parameter of model, then unfreezes those of the selected layers. */
    public FreezePlan apply(Module model, Selection selection) {
        List<CandidateLayer> candidates = CandidateLayers.discover(model);
        List<CandidateLayer> chosen = CandidateLayers.named(candidates, selection.trainable());
        model.freeze();
        List<Tensor> trainable = new ArrayList<>();
        int first = Integer.MAX_VALUE;
        long count = 0;
        for (CandidateLayer c : chosen) {
            c.module().unfreeze();
            trainable.addAll(c.module().parameters());
            first = Math.min(first, c.forwardIndex());
            count += c.paramCount();
        }
        return new FreezePlan(List.copyOf(trainable), first, count);
    }

    /** Adam on the plan's parameters; returns accuracy on test and the measured costs. */
    public TrainReport train(Module model, FreezePlan plan, Dataset train, Dataset test, Settings settings, Rng rng,
            String label) {
        Adam adam = Adam.adam(plan.trainable(), settings.learningRate());
        model.train(true);
        Memory.reset();
        long peak = 0;
        int steps = 0;
        int perEpoch = (train.size() + settings.batchSize() - 1) / settings.batchSize();
        Progress progress = new Progress(label, (long) perEpoch * settings.epochs(), Math.max(1, perEpoch));
        long start = System.nanoTime();
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            BatchIterator batches = new BatchIterator(train, settings.batchSize(), rng);
            while (batches.hasNext()) {
                Dataset batch = batches.next();
                adam.zeroGrad();
                Memory.resetPeak();
                Tensor loss = Losses.crossEntropy(model.forward(Tensor.of(batch.features())), batch.labels());
                peak = Math.max(peak, Memory.peakSavedBytes());
                double value = loss.item();
                Progress.checkFinite(label, steps, value);
                loss.backward();
                adam.step();
                progress.step(++steps, value);
            }
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        long stateBytes = 4L * (1 + ADAM_STATES) * adam.parameters().stream().mapToLong(p -> p.value().length()).sum();
        return new TrainReport(accuracy(model, test), peak, stateBytes, plan.trainableParams(), steps, wall);
    }

    /** Fraction of test rows whose arg-max logit is the label (eval mode, no tape). */
    public static double accuracy(Module model, Dataset test) {
        boolean wasTraining = model.isTraining();
        model.eval();
        int correct = 0;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int from = 0; from < test.size(); from += EVAL_BATCH) {
                int to = Math.min(test.size(), from + EVAL_BATCH);
                int[] rows = java.util.stream.IntStream.range(from, to).toArray();
                Dataset part = test.select(rows);
                INDArray predicted = model.forward(Tensor.of(part.features())).value().argMax(1);
                for (int i = 0; i < rows.length; i++) {
                    if (predicted.getInt(i) == part.label(i)) {
                        correct++;
                    }
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return (double) correct / test.size();
    }
}
