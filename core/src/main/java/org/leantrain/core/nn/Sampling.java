package org.leantrain.core.nn;

import java.util.Arrays;
import org.leantrain.core.util.Rng;

/** Drawing a token from logits with temperature and top-k. */
public final class Sampling {
    private Sampling() {}

    /** Probabilities softmax(logits / temperature) over the topK largest logits (ties kept; 0 = all), others 0. */
    public static double[] probabilities(double[] logits, double temperature, int topK) {
        double threshold = Double.NEGATIVE_INFINITY;
        if (topK > 0 && topK < logits.length) {
            double[] sorted = logits.clone();
            Arrays.sort(sorted);
            threshold = sorted[sorted.length - topK];
        }
        double max = Arrays.stream(logits).max().orElseThrow();
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] >= threshold) {
                p[i] = Math.exp((logits[i] - max) / temperature);
                sum += p[i];
            }
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    public static int sample(double[] logits, double temperature, int topK, Rng rng) {
        return draw(probabilities(logits, temperature, topK), rng);
    }

    /** One index drawn from probabilities p (zeros never drawn) with one uniform of the Rng. */
    public static int draw(double[] p, Rng rng) {
        double u = rng.nextDouble();
        double cumulative = 0;
        int lastPositive = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                cumulative += p[i];
                lastPositive = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return lastPositive; // rounding left u just above the total
    }
}
