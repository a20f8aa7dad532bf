package org.leantrain.rag;

import java.util.Arrays;
import org.leantrain.core.nn.Sampling;
import org.leantrain.core.util.Rng;

/**
 * One draw from next-token logits: divide by τ, keep the k largest (top-k), keep the smallest most-probable prefix
 * whose mass reaches p (top-p, always ≥ 1 token), renormalise, sample with the seeded Rng.
 */
public final class TokenSampler {
    private TokenSampler() {}

    /** The distribution actually sampled from (zeros outside the kept set). */
    public static double[] probabilities(double[] logits, SamplingConfig cfg) {
        int v = logits.length;
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            if (!Double.isFinite(l)) {
                throw new IllegalArgumentException("logit " + l + " is not finite");
            }
            max = Math.max(max, l);
        }
        double[] p = new double[v];
        double sum = 0;
        for (int i = 0; i < v; i++) {
            p[i] = Math.exp((logits[i] - max) / cfg.temperature());
            sum += p[i];
        }
        for (int i = 0; i < v; i++) {
            p[i] /= sum;
        }
        if (cfg.topK() == 0 && cfg.topP() >= 1) {
            return p; // nothing to truncate: skip the sort (the rollout setting)
        }
        int[] order = cfg.topK() > 0 && cfg.topK() < v ? largest(p, cfg.topK()) : sortedDescending(p);
        int keep = order.length;
        if (cfg.topP() < 1) {
            // top-p on the top-k-renormalised distribution: the smallest prefix whose mass reaches p (≥ 1 token)
            double mass = 0;
            for (int i = 0; i < keep; i++) {
                mass += p[order[i]];
            }
            double running = 0;
            int prefix = 0;
            while (prefix < keep && running < cfg.topP() - 1e-12) {
                running += p[order[prefix]] / mass;
                prefix++;
            }
            keep = Math.max(1, prefix);
        }
        double[] out = new double[v];
        double norm = 0;
        for (int i = 0; i < keep; i++) {
            norm += p[order[i]];
        }
        for (int i = 0; i < keep; i++) {
            out[order[i]] = p[order[i]] / norm;
        }
        return out;
    }

    /** Indices of the k largest probabilities, descending, ties by ascending index (O(V·k) for small k). */
    private static int[] largest(double[] p, int k) {
        int[] best = new int[k];
        int filled = 0;
        for (int i = 0; i < p.length; i++) {
            if (filled == k && !(p[i] > p[best[k - 1]])) {
                continue;
            }
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && p[i] > p[best[pos - 1]]) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = i;
        }
        return best;
    }

    private static int[] sortedDescending(double[] p) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    public static int sample(double[] logits, SamplingConfig cfg, Rng rng) {
        return Sampling.draw(probabilities(logits, cfg), rng);
    }
}
