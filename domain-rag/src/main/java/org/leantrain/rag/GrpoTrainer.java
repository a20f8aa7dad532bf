package org.leantrain.rag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.optim.GradClip;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Progress;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stage 2 (spec §3F): GRPO on the query-expansion policy with document recall as the reward. Per step: P training
 * queries; G MQR samples each (τ = 0.9), one CQE passage per sample (MSLF; MMLF rollouts write n); reward
 * Recall@k of RRF([L(q), L(p)]); group-relative advantages shared by every token of both completions; token
 * log-probabilities under π_θ (tape), π_old and the frozen π_ref by teacher forcing; the clipped objective with the
 * k3 KL; loss −J, global-norm clip, AdamW.
 */
public final class GrpoTrainer {
    private GrpoTrainer() {}

    /**
     * Per step: mean reward, mean k3 KL per completion token, fraction of groups with equal rewards, mean MQR and CQE
     * completion lengths, seconds of the whole step and of its rollouts (generation + rewards); totals of LM calls and
     * generated tokens.
     */
    public record RlLog(double[] meanReward, double[] meanKl, double[] zeroVarianceFraction, double[] mqrLength,
            double[] cqeLength, double[] seconds, double[] rolloutSeconds, long lmCalls, long generatedTokens) {}

    /** Prompt+completion rows of one component, right-padded, with their completion masks and lengths. */
    private record Rows(int[][] ids, int[] lengths, double[][] mask, double[] completionLength) {}

    public static RlLog train(TinyCausalLm policy, List<Query> queries, QueryExpansionPipeline pipe,
            WordTokenizer tok, GrpoConfig cfg, Rng rng, String task) {
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("GRPO needs training queries");
        }
        TinyCausalLm reference = policy.copy();
        Adam opt = Adam.adamW(policy.parameters(), cfg.lr(), cfg.weightDecay());
        TextGenerator sampler = TextGenerator.of(policy, tok);
        int steps = cfg.steps();
        double[] reward = new double[steps];
        double[] kl = new double[steps];
        double[] zeroVar = new double[steps];
        double[] mqrLen = new double[steps];
        double[] cqeLen = new double[steps];
        double[] seconds = new double[steps];
        double[] rolloutSeconds = new double[steps];
        long calls = 0;
        long tokens = 0;
        Progress progress = new Progress(task, steps, Math.max(1, steps / 10), "mean reward");
        int g = cfg.groupSize();
        int eos = tok.id(Formats.EOS);
        for (int step = 0; step < steps; step++) {
            long t0 = System.nanoTime();
            policy.eval();
            List<Query> batch = new ArrayList<>();
            for (int p = 0; p < cfg.queriesPerStep(); p++) {
                batch.add(queries.get(rng.nextInt(queries.size())));
            }
            SamplingConfig rollout = new SamplingConfig(cfg.temperature(), 0, 1.0, QueryExpansionPipeline.MQR_TOKENS);
            List<int[]> mqrPrompts = new ArrayList<>();
            for (Query q : batch) {
                for (int i = 0; i < g; i++) {
                    mqrPrompts.add(tok.encode(pipe.mqrPrompt(q.text())));
                }
            }
            Generator.Result mqr = sampler.generate(mqrPrompts, rollout, rng);
            boolean mmlf = cfg.rolloutMode() == FusionMode.MMLF;
            List<int[]> cqePrompts = new ArrayList<>();
            List<Integer> cqeOwner = new ArrayList<>();
            for (int s = 0; s < mqrPrompts.size(); s++) {
                String q = batch.get(s / g).text();
                for (int[] prompt : pipe.cqePrompts(q, pipe.parseSubQueries(mqr.completions().get(s), q, mmlf),
                        cfg.rolloutMode())) {
                    cqePrompts.add(prompt);
                    cqeOwner.add(s);
                }
            }
            Generator.Result cqe = sampler.generate(cqePrompts,
                    QueryExpansionPipeline.withBudget(rollout, QueryExpansionPipeline.CQE_TOKENS), rng);
            calls += mqrPrompts.size() + cqePrompts.size();
            tokens += mqr.generatedTokens() + cqe.generatedTokens();
            double[] rewards = new double[mqrPrompts.size()];
            List<List<String>> passages = new ArrayList<>();
            for (int s = 0; s < rewards.length; s++) {
                passages.add(new ArrayList<>());
            }
            for (int r = 0; r < cqePrompts.size(); r++) {
                passages.get(cqeOwner.get(r)).add(pipe.passageText(cqe.completions().get(r)));
            }
            for (int s = 0; s < rewards.length; s++) {
                Query q = batch.get(s / g);
                rewards[s] = RetrievalMetrics.recallAt(pipe.retrieve(q.text(), passages.get(s)), q.qrels(),
                        cfg.rewardK());
            }
            rolloutSeconds[step] = (System.nanoTime() - t0) / 1e9;
            double[] adv = new double[rewards.length];
            int flat = 0;
            for (int p = 0; p < batch.size(); p++) {
                double[] group = Arrays.copyOfRange(rewards, p * g, (p + 1) * g);
                double[] a = GrpoObjective.advantages(group, cfg.stdNormalisation());
                System.arraycopy(a, 0, adv, p * g, g);
                boolean allEqual = Arrays.stream(group).allMatch(v -> v == group[0]);
                flat += allEqual ? 1 : 0;
            }
            Rows mqrRows = rows(mqrPrompts, mqr, eos);
            Rows cqeRows = rows(cqePrompts, cqe, eos);
            double[] cqeAdv = new double[cqePrompts.size()];
            for (int r = 0; r < cqeAdv.length; r++) {
                cqeAdv[r] = adv[cqeOwner.get(r)];
            }
            double[][] mqrRef = logProbs(reference, mqrRows);
            double[][] cqeRef = logProbs(reference, cqeRows);
            double[][] mqrOld = logProbs(policy, mqrRows);
            double[][] cqeOld = logProbs(policy, cqeRows);
            double mqrNorm = cfg.variant() == GrpoObjective.Variant.DR_GRPO ? QueryExpansionPipeline.MQR_TOKENS : 0;
            double cqeNorm = cfg.variant() == GrpoObjective.Variant.DR_GRPO ? QueryExpansionPipeline.CQE_TOKENS : 0;
            // MMLF rollouts write n passages per sample: their rows share 1/(P·G) as one CQE component would
            double cqeScale = (double) cqePrompts.size() / mqrPrompts.size();
            policy.train(true);
            for (int u = 0; u < cfg.innerUpdates(); u++) {
                opt.zeroGrad();
                try (StepMemory ignored = StepMemory.open()) {
                    Tensor j = component(policy, mqrRows, mqrOld, mqrRef, adv, mqrNorm, cfg);
                    j = j.add(component(policy, cqeRows, cqeOld, cqeRef, cqeAdv, cqeNorm, cfg).mul(cqeScale));
                    Tensor loss = j.neg();
                    loss.backward();
                    GradClip.clipGlobalNorm(policy.parameters(), cfg.maxGradNorm());
                    opt.step();
                }
            }
            policy.eval();
            reward[step] = Arrays.stream(rewards).average().orElse(0);
            kl[step] = meanK3(mqrOld, mqrRef, mqrRows, cqeOld, cqeRef, cqeRows);
            zeroVar[step] = (double) flat / batch.size();
            mqrLen[step] = Arrays.stream(mqrRows.completionLength()).average().orElse(0);
            cqeLen[step] = Arrays.stream(cqeRows.completionLength()).average().orElse(0);
            seconds[step] = (System.nanoTime() - t0) / 1e9;
            progress.step(step + 1, reward[step]);
        }
        return new RlLog(reward, kl, zeroVar, mqrLen, cqeLen, seconds, rolloutSeconds, calls, tokens);
    }

    private static Tensor component(TinyCausalLm policy, Rows rows, double[][] old, double[][] ref, double[] adv,
            double constantNorm, GrpoConfig cfg) {
        Tensor logp = policy.tokenLogProbs(rows.ids(), rows.lengths());
        double[] norm = new double[adv.length];
        for (int i = 0; i < norm.length; i++) {
            norm[i] = constantNorm > 0 ? constantNorm : rows.completionLength()[i];
        }
        INDArray mask = Nd4j.create(rows.mask()).castTo(logp.dataType());
        return GrpoObjective.objective(logp, Nd4j.create(old).castTo(logp.dataType()),
                Nd4j.create(ref).castTo(logp.dataType()), mask, adv, norm, cfg.beta(), cfg.clipEps());
    }

    /** prompt + completion (+ eos when sampled) per row; the mask selects the predicted completion tokens. */
    private static Rows rows(List<int[]> prompts, Generator.Result result, int eos) {
        int n = prompts.size();
        List<int[]> seqs = new ArrayList<>();
        double[] completion = new double[n];
        int width = 0;
        for (int i = 0; i < n; i++) {
            int[] c = result.completions().get(i);
            int extra = result.stopped()[i] ? 1 : 0;
            int[] s = Arrays.copyOf(prompts.get(i), prompts.get(i).length + c.length + extra);
            System.arraycopy(c, 0, s, prompts.get(i).length, c.length);
            if (extra == 1) {
                s[s.length - 1] = eos;
            }
            seqs.add(s);
            completion[i] = Math.max(1, c.length + extra);
            width = Math.max(width, s.length);
        }
        int[][] ids = new int[n][width];
        int[] lengths = new int[n];
        double[][] mask = new double[n][width - 1];
        for (int i = 0; i < n; i++) {
            int[] s = seqs.get(i);
            System.arraycopy(s, 0, ids[i], 0, s.length);
            lengths[i] = s.length;
            for (int j = prompts.get(i).length - 1; j < s.length - 1; j++) {
                mask[i][j] = 1; // position j predicts token j + 1, a completion token
            }
        }
        return new Rows(ids, lengths, mask, completion);
    }

    private static double[][] logProbs(TinyCausalLm lm, Rows rows) {
        try (GradMode.Scope ignored = GradMode.noGrad(); StepMemory step = StepMemory.open()) {
            return lm.tokenLogProbs(rows.ids(), rows.lengths()).value().toDoubleMatrix();
        }
    }

    /** Mean k3 over the completion tokens of both components. */
    private static double meanK3(double[][] mqrOld, double[][] mqrRef, Rows mqrRows, double[][] cqeOld,
            double[][] cqeRef, Rows cqeRows) {
        double[] mqr = k3Sum(mqrOld, mqrRef, mqrRows.mask());
        double[] cqe = k3Sum(cqeOld, cqeRef, cqeRows.mask());
        double n = mqr[1] + cqe[1];
        return n == 0 ? 0 : (mqr[0] + cqe[0]) / n;
    }

    /** {Σ k3, count} over the masked tokens of one component. */
    private static double[] k3Sum(double[][] old, double[][] ref, double[][] mask) {
        double s = 0;
        double n = 0;
        for (int i = 0; i < old.length; i++) {
            for (int j = 0; j < old[i].length; j++) {
                if (mask[i][j] > 0) {
                    s += GrpoObjective.k3(old[i][j], ref[i][j]);
                    n++;
                }
            }
        }
        return new double[] {s, n};
    }
}
