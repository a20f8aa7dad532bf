package org.leantrain.rag;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.optim.GradClip;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Progress;
import org.leantrain.core.util.Rng;

/**
 * Stage 0 (spec §3C): the base model learns the general world from a mixture of documents (30 %) and instruction
 * examples (70 %), next-token cross-entropy on all tokens, AdamW.
 */
public final class LmPretrainer {
    private LmPretrainer() {}

    /** Loss per step. */
    public static double[] train(TinyCausalLm lm, List<int[]> documents, List<int[]> instructions, int steps,
            int batch, double lr, double weightDecay, double documentFraction, Rng rng, String task) {
        if (steps < 1 || batch < 1 || documents.isEmpty() || instructions.isEmpty()) {
            throw new IllegalArgumentException("pretraining needs steps, batch ≥ 1 and non-empty data");
        }
        lm.train(true);
        Adam opt = Adam.adamW(lm.parameters(), lr, weightDecay);
        Progress progress = new Progress(task, steps, Math.max(1, steps / 20));
        double[] losses = new double[steps];
        for (int step = 0; step < steps; step++) {
            List<int[]> rows = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                List<int[]> pool = rng.nextDouble() < documentFraction ? documents : instructions;
                rows.add(pool.get(rng.nextInt(pool.size())));
            }
            losses[step] = step(lm, opt, rows);
            Progress.checkFinite(task, step, losses[step]);
            progress.step(step + 1, losses[step]);
        }
        lm.eval();
        return losses;
    }

    /** One optimizer step of next-token cross-entropy on the rows, gradient norm clipped to 1; returns the loss. */
    public static double step(TinyCausalLm lm, Adam opt, List<int[]> rows) {
        opt.zeroGrad();
        try (StepMemory ignored = StepMemory.open()) { // recycled workspace: allocation dominated the step
            Tensor loss = LmLosses.crossEntropy(lm, LmBatch.of(rows, lm.config().context()));
            double value = loss.item();
            loss.backward();
            GradClip.clipGlobalNorm(lm.parameters(), 1.0);
            opt.step();
            return value;
        }
    }
}
