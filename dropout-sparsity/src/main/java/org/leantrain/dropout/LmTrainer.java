package org.leantrain.dropout;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.optim.GradClip;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.Nd;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Progress;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains an {@link LstmLanguageModel} with one dropout variant: truncated BPTT over B parallel streams, hidden
 * state carried detached, fresh masks every step, global-norm clipping and Adam.
 */
public final class LmTrainer {
    private static final double LN2 = Math.log(2);
    private final LstmLanguageModel model;
    private final Variant variant;
    private final Adam adam;
    private final Rng maskRng;
    private int stepsTaken;

    /** Called after each step with its index (from 1), loss in nats and wall time. */
    public interface Listener {
        void step(int step, double loss, double millis);
    }

    public LmTrainer(LstmLanguageModel model, Variant variant) {
        this.model = model;
        this.variant = variant;
        LmConfig c = model.config();
        this.adam = Adam.adam(model.parameters(), c.learningRate());
        this.maskRng = new Rng(c.dropout().seed());
    }

    /**
     * Trains for {@code steps} steps on {@code train}, measuring validation BPC on {@code valid} every
     * {@code evalEvery} steps and after the last ({@code valid} null: no evaluation, for timing runs).
     */
    public TrainReport train(int[] train, int steps, int[] valid, int evalEvery, Listener listener) {
        return lockstep(List.of(this), train, steps, valid, evalEvery, listener).get(0);
    }

    /**
     * Trains several models side by side on the same data order, one step of each in turn, so that machine noise
     * (other load, frequency changes) hits their step times alike; the reports are in the trainers' order. The
     * listener hears the first trainer's steps.
     */
    public static List<TrainReport> lockstep(List<LmTrainer> trainers, int[] train, int steps, int[] valid,
            int evalEvery, Listener listener) {
        if (steps < 1 || evalEvery < 1) {
            throw new IllegalArgumentException("steps and evalEvery must be at least 1, got " + steps + ", " + evalEvery);
        }
        LmConfig c = trainers.get(0).model.config();
        BpttBatcher batcher = new BpttBatcher(train, c.batch(), c.bptt());
        int n = trainers.size();
        LstmLanguageModel.State[] states = new LstmLanguageModel.State[n];
        double[][] millis = new double[n][steps];
        double[][] losses = new double[n][steps];
        List<Integer> evalSteps = new ArrayList<>();
        List<List<Double>> bpc = new ArrayList<>();
        long[] peak = new long[n];
        for (int i = 0; i < n; i++) {
            bpc.add(new ArrayList<>());
        }
        for (int step = 0; step < steps; step++) {
            int index = step % batcher.segments();
            BpttBatcher.Segment segment = batcher.segment(index);
            for (int i = 0; i < n; i++) {
                LmTrainer trainer = trainers.get(i);
                if (index == 0) {
                    states[i] = trainer.model.zeroState(c.batch()); // a new pass over the streams starts afresh
                }
                long start = System.nanoTime();
                Step result = trainer.step(segment, states[i]);
                millis[i][step] = (System.nanoTime() - start) / 1e6;
                losses[i][step] = result.loss();
                peak[i] = Math.max(peak[i], result.peakSavedBytes());
                states[i] = result.state();
            }
            if (listener != null) {
                listener.step(step + 1, losses[0][step], millis[0][step]);
            }
            if (valid != null && ((step + 1) % evalEvery == 0 || step + 1 == steps)) {
                evalSteps.add(step + 1);
                for (int i = 0; i < n; i++) {
                    bpc.get(i).add(trainers.get(i).evaluateBpc(valid));
                }
            }
        }
        List<TrainReport> reports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            reports.add(new TrainReport(millis[i], losses[i], evalSteps.stream().mapToInt(Integer::intValue).toArray(),
                    bpc.get(i).stream().mapToDouble(Double::doubleValue).toArray(), peak[i]));
        }
        return reports;
    }

    /** What one training step left: its loss (nats per token), the detached state after it, its peak saved bytes. */
    public record Step(double loss, LstmLanguageModel.State state, long peakSavedBytes) {}

    /**
     * One training step on a segment from {@code state}: fresh masks, forward, backward, clipping, Adam. All of it
     * runs in one {@link StepMemory} scope.
     */
    public Step step(BpttBatcher.Segment segment, LstmLanguageModel.State state) {
        LmConfig c = model.config();
        model.train(true);
        try (StepMemory ignored = StepMemory.open()) {
            Memory.resetPeak();
            DropoutPlan plan = DropoutPlan.draw(variant, c.dropout(), c.siteWidths(), c.bptt(), c.batch(), c.type(),
                    maskRng);
            adam.zeroGrad();
            LstmLanguageModel.Output out = model.loss(segment.inputs(), segment.targets(), plan, state);
            double loss = out.loss().item();
            out.loss().backward();
            long peak = Memory.peakSavedBytes();
            checkFinite(++stepsTaken, loss);
            GradClip.clipGlobalNorm(adam.parameters(), c.clip());
            adam.step();
            return new Step(loss, detachedCopy(out.state()), peak);
        }
    }

    /** Bits per character of predicting {@code tokens} without dropout, state carried over the whole stream. */
    public double evaluateBpc(int[] tokens) {
        LmConfig c = model.config();
        model.train(false);
        BpttBatcher batcher = new BpttBatcher(tokens, c.batch(), c.bptt());
        LstmLanguageModel.State state = model.zeroState(c.batch());
        double total = 0;
        DropoutPlan none = DropoutPlan.none(c.layers() + 1);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int i = 0; i < batcher.segments(); i++) {
                BpttBatcher.Segment segment = batcher.segment(i);
                try (StepMemory step = StepMemory.open()) {
                    LstmLanguageModel.Output out = model.loss(segment.inputs(), segment.targets(), none, state);
                    total += out.loss().item();
                    state = detachedCopy(out.state());
                }
            }
        }
        return total / batcher.segments() / LN2;
    }

    private void checkFinite(int step, double loss) {
        boolean finite = Double.isFinite(loss);
        for (Tensor p : adam.parameters()) {
            finite &= p.grad() == null || Nd.isFinite(p.grad());
        }
        if (!finite) {
            throw new IllegalStateException("step " + step + ": the loss or a gradient is not finite (loss " + loss
                    + "); lower the learning rate (" + model.config().learningRate() + ") or the clip norm");
        }
    }

    private static LstmLanguageModel.State detachedCopy(LstmLanguageModel.State s) {
        return StepMemory.outside(() -> {
            INDArray[] h = new INDArray[s.h().length];
            INDArray[] c = new INDArray[s.c().length];
            for (int l = 0; l < h.length; l++) {
                h[l] = s.h()[l].dup();
                c[l] = s.c()[l].dup();
            }
            return new LstmLanguageModel.State(h, c);
        });
    }

    /** Progress lines for long runs. */
    public static Listener progress(String task, int steps) {
        Progress progress = new Progress(task, steps, Math.max(1, steps / 10));
        return (step, loss, ms) -> progress.step(step, loss);
    }
}
