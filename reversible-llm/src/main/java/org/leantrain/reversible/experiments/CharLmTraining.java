package org.leantrain.reversible.experiments;

import org.leantrain.core.data.CharCorpus;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.optim.GradClip;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Progress;
import org.leantrain.core.util.Rng;
import org.leantrain.reversible.DistillationLoss;
import org.leantrain.reversible.LanguageModel;

/**
 * The quick char-LM training of spec §7: AdamW (β = 0.9/0.95, no weight decay), linear warm-up then cosine decay
 * to 10 %, global clipping at 1.0, uniformly sampled windows; validation cross-entropy over the whole validation
 * split in non-overlapping windows. The same loop trains every system, so they differ only in the model.
 */
public final class CharLmTraining {
    private CharLmTraining() {}

    /** Steps, windows per step, window length, peak lr, warm-up steps, validation interval, data seed. */
    public record Settings(int steps, int batch, int context, double learningRate, int warmup, int evalEvery,
                           long seed) {
        public Settings {
            if (steps < 1 || batch < 1 || context < 1 || warmup < 0 || evalEvery < 1) {
                throw new IllegalArgumentException("training needs steps, batch, context, evalEvery >= 1 and"
                        + " warmup >= 0; got " + this);
            }
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
            }
        }

        /** B = 32, T = 64, lr 3e-3, 30 warm-up steps, seed 0. */
        public static Settings quick(int steps) {
            return new Settings(steps, 32, 64, 3e-3, 30, Math.max(1, steps / 4), 0);
        }

        public Settings withLearningRate(double lr, int warmupSteps) {
            return new Settings(steps, batch, context, lr, warmupSteps, evalEvery, seed);
        }
    }

    /** The curve (step, loss, lr, val CE where evaluated), final val CE, mean step time and peak saved bytes. */
    public record Result(CsvTable curve, double valCe, double msPerStep, long peakSavedBytes) {}

    public static Result train(String name, LanguageModel model, CharCorpus corpus, Settings s) {
        return train(name, model, corpus, s, null, null);
    }

    /** Trains {@code model}; with a teacher, the loss is {@code distillation} against its logits (frozen). */
    public static Result train(String name, LanguageModel model, CharCorpus corpus, Settings s, LanguageModel teacher,
                               DistillationLoss distillation) {
        int[] train = corpus.train();
        int[] validation = corpus.validation();
        Rng rng = new Rng(s.seed());
        Adam optimizer = new Adam(model.trainableParameters(), s.learningRate(), 0.9, 0.95, 1e-8, 0, true);
        CsvTable curve = new CsvTable("step", "loss", "lr", "val_ce");
        Progress progress = new Progress(name, s.steps(), Math.max(1, s.steps() / 10));
        if (teacher != null) {
            teacher.eval();
        }
        model.train(true);
        Memory.reset();
        long peak = 0;
        long nanos = 0;
        double valCe = Double.NaN;
        for (int step = 1; step <= s.steps(); step++) {
            double lr = learningRate(s, step - 1);
            optimizer.setLearningRate(lr);
            int[][][] windows = CharCorpus.windows(train, s.batch(), s.context(), rng);
            long start = System.nanoTime();
            double loss;
            try (StepMemory ignored = StepMemory.open()) {
                Memory.resetPeak();
                Tensor l = teacher == null ? model.loss(windows[0], windows[1])
                        : distilled(model, teacher, distillation, windows);
                loss = l.item();
                l.backward();
                peak = Math.max(peak, Memory.peakSavedBytes());
                GradClip.clipGlobalNorm(model.trainableParameters(), 1.0);
                optimizer.step();
                optimizer.zeroGrad();
            }
            nanos += System.nanoTime() - start;
            progress.step(step, loss);
            if (step % s.evalEvery() == 0 || step == s.steps()) {
                valCe = model.evaluate(validation, s.context(), s.batch());
            }
            curve.add(step, loss, lr, step % s.evalEvery() == 0 || step == s.steps() ? valCe : Double.NaN);
        }
        return new Result(curve, valCe, nanos / 1e6 / s.steps(), peak);
    }

    private static Tensor distilled(LanguageModel student, LanguageModel teacher, DistillationLoss loss,
                                    int[][][] windows) {
        Tensor teacherLogits;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            teacherLogits = teacher.logits(windows[0]);
        }
        long rows = (long) windows[0].length * windows[0][0].length;
        int v = student.shape().vocab();
        int[] targets = LanguageModel.flatten(windows[1], windows[1][0].length);
        return loss.loss(student.logits(windows[0]).reshape(rows, v), teacherLogits.reshape(rows, v), targets);
    }

    /** Linear warm-up to the peak, then cosine decay to 10 % of it at the last step. */
    static double learningRate(Settings s, int step) {
        if (step < s.warmup()) {
            return s.learningRate() * (step + 1) / s.warmup();
        }
        double progress = (step - s.warmup()) / (double) Math.max(1, s.steps() - s.warmup());
        double min = 0.1 * s.learningRate();
        return min + 0.5 * (s.learningRate() - min) * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }
}
