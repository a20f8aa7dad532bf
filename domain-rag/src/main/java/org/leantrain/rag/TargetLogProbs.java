package org.leantrain.rag;

import org.leantrain.core.tensor.Function;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * log softmax(z)[target] per row of logits z [N, V], fused: the backward is g·(onehot − softmax) without building an
 * [N, V] one-hot product on the tape. Rows whose target is −1 (padding) give 0 and no gradient.
 */
public final class TargetLogProbs extends Function {
    private final int[] targets;

    private TargetLogProbs(int[] targets) {
        this.targets = targets;
    }

    /** [N] log-probabilities of the targets (−1 = ignore → 0). */
    public static Tensor of(Tensor logits, int[] targets) {
        if (logits.rank() != 2 || logits.size(0) != targets.length) {
            throw new IllegalArgumentException("logits " + java.util.Arrays.toString(logits.shape()) + " for "
                    + targets.length + " targets; flatten to [N, V] first");
        }
        long v = logits.size(1);
        for (int t : targets) {
            if (t < -1 || t >= v) {
                throw new IllegalArgumentException("target " + t + " outside [0, " + v + ") (−1 marks padding)");
            }
        }
        return new TargetLogProbs(targets).apply1(logits);
    }

    @Override
    public String name() {
        return "target_log_probs";
    }

    @Override
    protected INDArray[] forward(Context ctx, INDArray... inputs) {
        INDArray logp = KlToBase.logSoftmax(inputs[0]);
        int n = targets.length;
        int v = (int) logp.size(1);
        double[] flat = logp.dup('c').data().asDouble();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = targets[i] < 0 ? 0 : flat[i * v + targets[i]];
        }
        ctx.save(logp);
        return new INDArray[] {Nd4j.create(out, new long[] {n}, 'c').castTo(inputs[0].dataType())};
    }

    @Override
    protected INDArray[] backward(Context ctx, INDArray... gradOutputs) {
        INDArray logp = ctx.saved(0);
        int n = targets.length;
        int v = (int) logp.size(1);
        double[] p = Transforms.exp(logp, true).dup('c').data().asDouble();
        double[] g = gradOutputs[0].dup('c').data().asDouble();
        for (int i = 0; i < n; i++) {
            int base = i * v;
            double gi = targets[i] < 0 ? 0 : g[i];
            for (int k = 0; k < v; k++) {
                p[base + k] *= -gi;
            }
            if (targets[i] >= 0) {
                p[base + targets[i]] += gi;
            }
        }
        return new INDArray[] {Nd4j.create(p, logp.shape(), 'c').castTo(logp.dataType())};
    }
}
