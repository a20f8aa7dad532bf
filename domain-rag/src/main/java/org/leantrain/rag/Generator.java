package org.leantrain.rag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.util.Rng;

/**
 * Batched sampling from the tiny LM: every prompt continues at its own length (right padding), one forward pass per
 * new token over the rows still running, stop at {@code <eos>}, at the token budget, or at the context.
 */
public final class Generator {
    private Generator() {}

    /**
     * Completions without prompt and without the closing {@code <eos>}, whether each ended with {@code <eos>}, and the
     * number of tokens generated (incl. {@code <eos>}).
     */
    public record Result(List<int[]> completions, boolean[] stopped, int generatedTokens) {}

    public static Result generate(TinyCausalLm lm, List<int[]> prompts, SamplingConfig cfg, Rng rng, int eosId) {
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
        int generated = 0;
        for (int step = 0; step < cfg.maxNewTokens(); step++) {
            List<Integer> active = new ArrayList<>();
            int width = 0;
            for (int i = 0; i < b; i++) {
                if (!done[i]) {
                    active.add(i);
                    width = Math.max(width, lengths[i]);
                }
            }
            if (active.isEmpty()) {
                break;
            }
            int[][] ids = new int[active.size()][];
            int[] lens = new int[ids.length];
            for (int r = 0; r < ids.length; r++) {
                ids[r] = Arrays.copyOf(buffer[active.get(r)], width);
                lens[r] = lengths[active.get(r)];
            }
            double[][] logits;
            try (StepMemory ignored = StepMemory.open()) {
                logits = lm.nextTokenLogits(ids, lens);
            }
            for (int r = 0; r < ids.length; r++) {
                int i = active.get(r);
                int token = TokenSampler.sample(logits[r], cfg, rng);
                generated++;
                if (token == eosId) {
                    done[i] = true;
                    stopped[i] = true;
                    continue;
                }
                out.get(i).add(token);
                buffer[i][lengths[i]++] = token;
                if (lengths[i] == context) {
                    done[i] = true;
                }
            }
        }
        List<int[]> completions = new ArrayList<>();
        for (List<Integer> o : out) {
            completions.add(o.stream().mapToInt(Integer::intValue).toArray());
        }
        return new Result(completions, stopped, generated);
    }
}
