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
 * Stage 1, continual pre-training on the domain documents (spec §2, §3D). MOL: each step takes B domain documents
 * (cross-entropy) and B general sequences from the stage-0 mixture (exact KL to the frozen base), 1:1, no weights.
 * Baselines with the same steps: CE_ONLY (domain documents only) and CE_MIX (cross-entropy on both).
 */
public final class MolTrainer {
    private MolTrainer() {}

    public enum CptMode { MOL, CE_ONLY, CE_MIX }

    public record MolConfig(int steps, int batch, double lr, double weightDecay, KlToBase.Direction direction,
            CptMode mode) {
        public MolConfig {
            if (steps < 1 || batch < 1 || !(lr > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("CPT needs steps, batch ≥ 1, lr > 0, weight decay ≥ 0; got " + steps
                        + ", " + batch + ", " + lr + ", " + weightDecay);
            }
        }

        /** The spec's quick stage 1: 600 steps of 32 + 32 sequences, AdamW lr 1e-3, wd 0.1, KL(p_θ‖p_0). */
        public static MolConfig quick(CptMode mode) {
            return new MolConfig(600, 32, 1e-3, 0.1, KlToBase.Direction.POLICY_TO_BASE, mode);
        }

        public MolConfig withSteps(int s) {
            return new MolConfig(s, batch, lr, weightDecay, direction, mode);
        }
    }

    /** Total loss per step. */
    public static double[] train(TinyCausalLm policy, TinyCausalLm base, List<int[]> domainDocs,
            List<int[]> generalDocs, List<int[]> instructions, MolConfig cfg, Rng rng, String task) {
        if (domainDocs.isEmpty() || generalDocs.isEmpty() || instructions.isEmpty()) {
            throw new IllegalArgumentException("CPT needs domain documents and the general mixture");
        }
        policy.train(true);
        base.eval();
        Adam opt = Adam.adamW(policy.parameters(), cfg.lr(), cfg.weightDecay());
        Progress progress = new Progress(task, cfg.steps(), Math.max(1, cfg.steps() / 10));
        int context = policy.config().context();
        double[] losses = new double[cfg.steps()];
        for (int step = 0; step < cfg.steps(); step++) {
            List<int[]> domain = new ArrayList<>();
            List<int[]> general = new ArrayList<>();
            for (int i = 0; i < cfg.batch(); i++) {
                domain.add(domainDocs.get(rng.nextInt(domainDocs.size())));
                List<int[]> pool = rng.nextDouble() < 0.3 ? generalDocs : instructions;
                general.add(pool.get(rng.nextInt(pool.size())));
            }
            opt.zeroGrad();
            try (StepMemory ignored = StepMemory.open()) {
                Tensor loss = LmLosses.crossEntropy(policy, LmBatch.of(domain, context));
                if (cfg.mode() == CptMode.MOL) {
                    loss = loss.add(LmLosses.klToBase(policy, base, LmBatch.of(general, context), cfg.direction()));
                } else if (cfg.mode() == CptMode.CE_MIX) {
                    loss = loss.add(LmLosses.crossEntropy(policy, LmBatch.of(general, context)));
                }
                losses[step] = loss.item();
                loss.backward();
                GradClip.clipGlobalNorm(policy.parameters(), 1.0);
                opt.step();
            }
            Progress.checkFinite(task, step, losses[step]);
            progress.step(step + 1, losses[step]);
        }
        policy.eval();
        return losses;
    }
}
