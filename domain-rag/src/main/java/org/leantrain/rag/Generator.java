package org.leantrain.rag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.util.Rng;

/**
 * Batched sampling from the tiny LM: every prompt continues at its own length (right padding), one decoding step per
 * new token (a KV-cache step, or a full pass over the prefixes of the rows still running), stop at {@code <eos>}, at
 * the token budget, or at the context.
 */
public final class Generator {
    private Generator() {}

    /**
     * Completions without prompt and without the closing {@code <eos>}, whether each ended with {@code <eos>}, and the
     * number of tokens generated (incl. {@code <eos>}).
     */
    public record Result(List<int[]> completions, boolean[] stopped, int generatedTokens) {}

    /** Where next-token logits come from: the KV cache (default) or a full pass over every prefix (reference). */
    public enum Decoding { KV_CACHE, RECOMPUTE }

    public static Result generate(TinyCausalLm lm, List<int[]> prompts, SamplingConfig cfg, Rng rng, int eosId) {
        return generate(lm, prompts, cfg, rng, eosId, Decoding.KV_CACHE);
    }

    public static Result generate(TinyCausalLm lm, List<int[]> prompts, SamplingConfig cfg, Rng rng, int eosId,
            Decoding decoding) {
        int b = prompts.size();
        int context = lm.config().context();
        int[][] buffer = new int[b][context];
        int[] lengths = new int[b];
        boolean[] done = new boolean[b];
        boolean[] stopped = new boolean[b];
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            int[] p = prompts.get(i);
            if (p.length == 0 || p.length >= context) {
                throw new IllegalArgumentException("prompt of " + p.length + " tokens: it must be non-empty and"
                        + " shorter than the context " + context);
            }
            System.arraycopy(p, 0, buffer[i], 0, p.length);
            lengths[i] = p.length;
            out.add(new ArrayList<>());
        }
        KvCacheDecoder cache = decoding == Decoding.KV_CACHE ? new KvCacheDecoder(lm, prompts, cfg.maxNewTokens())
                : null;
        double[][] logits;
        try (StepMemory ignored = StepMemory.open()) {
            logits = cache != null ? cache.prefill(prompts) : recompute(lm, buffer, lengths, done);
        }
        int generated = 0;
        for (int step = 0; step < cfg.maxNewTokens(); step++) {
            int[] next = new int[b]; // rows already done feed token 0 to the cache; their logits are not used
            for (int i = 0; i < b; i++) {
                if (done[i]) {
                    continue;
                }
                int token = TokenSampler.sample(logits[i], cfg, rng);
                generated++;
                if (token == eosId) {
                    done[i] = true;
                    stopped[i] = true;
                    continue;
                }
                next[i] = token;
                out.get(i).add(token);
                buffer[i][lengths[i]++] = token;
                if (lengths[i] == context) {
                    done[i] = true;
                }
            }
            boolean running = false;
            for (boolean d : done) {
                running |= !d;
            }
            if (!running || step == cfg.maxNewTokens() - 1) {
                break;
            }
            try (StepMemory ignored = StepMemory.open()) {
                logits = cache != null ? cache.append(next) : recompute(lm, buffer, lengths, done);
            }
        }
        List<int[]> completions = new ArrayList<>();
        for (List<Integer> o : out) {
            completions.add(o.stream().mapToInt(Integer::intValue).toArray());
        }
        return new Result(completions, stopped, generated);
    }

    /** Next-token logits of the rows still running by a full pass over their prefixes (null for the others). */
    private static double[][] recompute(TinyCausalLm lm, int[][] buffer, int[] lengths, boolean[] done) {
        List<Integer> active = new ArrayList<>();
        int width = 0;
        for (int i = 0; i < buffer.length; i++) {
            if (!done[i]) {
                active.add(i);
                width = Math.max(width, lengths[i]);
            }
        }
        int[][] ids = new int[active.size()][];
        int[] lens = new int[ids.length];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = Arrays.copyOf(buffer[active.get(r)], width);
            lens[r] = lengths[active.get(r)];
        }
        double[][] rows = lm.nextTokenLogits(ids, lens);
        double[][] logits = new double[buffer.length][];
        for (int r = 0; r < ids.length; r++) {
            logits[active.get(r)] = rows[r];
        }
        return logits;
    }
}
