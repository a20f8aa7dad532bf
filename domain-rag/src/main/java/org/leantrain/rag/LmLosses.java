package org.leantrain.rag;

import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The continual pre-training losses (spec §2): per-sequence mean next-token cross-entropy, and the exact per-token
 * KL to a frozen base model over the whole vocabulary, both averaged over the sequences of a batch.
 */
public final class LmLosses {
    private LmLosses() {}

    /** mean_s −(1/(n_s − 1)) Σ_t log p_θ(s_{t+1} | s_≤t). */
    public static Tensor crossEntropy(TinyCausalLm model, LmBatch batch) {
        Tensor logp = model.tokenLogProbs(batch.ids(), batch.lengths());
        INDArray w = Nd4j.create(batch.perSequenceMeanWeights(), logp.shape(), 'c').castTo(logp.dataType());
        return logp.mul(Tensor.of(w)).sum().neg();
    }

    /** mean_s (1/(n_s − 1)) Σ_t KL(p_θ(·|s_≤t) ‖ p_0(·|s_≤t)) (or the reverse direction), p_0 frozen. */
    public static Tensor klToBase(TinyCausalLm model, TinyCausalLm base, LmBatch batch, KlToBase.Direction direction) {
        int b = batch.size();
        int t = batch.ids()[0].length;
        int[][] inputs = new int[b][];
        for (int i = 0; i < b; i++) {
            inputs[i] = java.util.Arrays.copyOf(batch.ids()[i], t - 1);
        }
        long rows = (long) b * (t - 1);
        int v = model.config().vocab();
        INDArray logq;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            logq = KlToBase.logSoftmax(base.logits(inputs).value().reshape(rows, v));
        }
        Tensor kl = KlToBase.perToken(model.logits(inputs).reshape(rows, v), logq, direction);
        INDArray w = Nd4j.create(batch.perSequenceMeanWeights(), new long[] {rows}, 'c').castTo(kl.dataType());
        return kl.mul(Tensor.of(w)).sum();
    }
}
