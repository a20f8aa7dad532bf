package org.leantrain.pipeline;

import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Tensor;

/**
 * The training loss on the last stage's output, and how micro-batch losses combine (the loss-scaling convention
 * of spec §2). For a mean-reduced loss the backward of micro-batch m is seeded with ω_m = c_m / Σ c, where c_m
 * is {@link #count} of its targets (rows by default, valid tokens for a masked LM loss); for a sum-reduced loss
 * ω_m = 1. Gradients are then summed over micro-batches — nothing else divides — so the step equals training on
 * the whole batch.
 */
public interface LossFn {
    Tensor loss(Tensor output, Tensor target);

    /** Whether {@link #loss} averages (true) or sums (false) over what {@link #count} counts. */
    default boolean meanReduced() {
        return true;
    }

    /** What the mean runs over in this target: rows by default; override for token-level losses. */
    default double count(Tensor target) {
        return target.size(0);
    }

    /** Mean squared error over all elements of each row set, rows weighted equally. */
    static LossFn mse() {
        return Losses::mse;
    }

    /** Mean cross-entropy; targets hold class indices as a [n] or [n, 1] tensor. */
    static LossFn crossEntropy() {
        return (output, target) -> Losses.crossEntropy(output, labels(target));
    }

    private static int[] labels(Tensor target) {
        double[] v = target.value().reshape(target.value().length()).toDoubleVector();
        int[] labels = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            labels[i] = (int) v[i];
        }
        return labels;
    }

    /** The seeds ω_m of spec §2 for these micro-batch targets. */
    static double[] seedWeights(LossFn loss, java.util.List<Tensor> targets) {
        double[] w = new double[targets.size()];
        if (!loss.meanReduced()) {
            java.util.Arrays.fill(w, 1.0);
            return w;
        }
        double total = 0;
        for (int m = 0; m < w.length; m++) {
            w[m] = loss.count(targets.get(m));
            total += w[m];
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("the loss counts " + total + " items over the batch; nothing to average");
        }
        for (int m = 0; m < w.length; m++) {
            w[m] /= total;
        }
        return w;
    }
}
