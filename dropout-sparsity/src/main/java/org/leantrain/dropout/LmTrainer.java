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
        if (steps < 1 || evalEvery < 1) {
            throw new IllegalArgumentException("steps and evalEvery must be at least 1, got " + steps + ", " + evalEvery);
        }
        LmConfig c = model.config();
        BpttBatcher batcher = new BpttBatcher(train, c.batch(), c.bptt());
        LstmLanguageModel.State state = model.zeroState(c.batch());
        double[] millis = new double[steps];
        double[] losses = new double[steps];
        List<Integer> evalSteps = new ArrayList<>();
        List<Double> bpc = new ArrayList<>();
        long peak = 0;
        model.train(true);
        for (int step = 0; step < steps; step++) {
            int index = step % batcher.segments();
            if (index == 0) {
                state = model.zeroState(c.batch()); // a new pass over the streams starts from scratch
            }
            BpttBatcher.Segment segment = batcher.segment(index);
            long start = System.nanoTime();
            try (StepMemory ignored = StepMemory.open()) {
                Memory.resetPeak();
                DropoutPlan plan = DropoutPlan.draw(variant, c.dropout(), c.siteWidths(), c.bptt(), c.batch(),
                        c.type(), maskRng);
                adam.zeroGrad();
                LstmLanguageModel.Output out = model.loss(segment.inputs(), segment.targets(), plan, state);
                losses[step] = out.loss().item();
                out.loss().backward();
                peak = Math.max(peak, Memory.peakSavedBytes());
                checkFinite(step + 1, losses[step]);
                GradClip.clipGlobalNorm(adam.parameters(), c.clip());
                adam.step();
                state = detachedCopy(out.state());
            }
            millis[step] = (System.nanoTime() - start) / 1e6;
            if (listener != null) {
                listener.step(step + 1, losses[step], millis[step]);
            }
            if (valid != null && ((step + 1) % evalEvery == 0 || step + 1 == steps)) {
                evalSteps.add(step + 1);
                bpc.add(evaluateBpc(valid));
                model.train(true);
            }
        }
        return new TrainReport(millis, losses, evalSteps.stream().mapToInt(Integer::intValue).toArray(),
                bpc.stream().mapToDouble(Double::doubleValue).toArray(), peak);
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
