package org.leantrain.reversible;

import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Tensor;

/**
 * 𝓛 = (1 − α)·CE(student, data) + α·τ²·KL(softmax(z_T/τ) ‖ softmax(z_S/τ)), the KL averaged over tokens; the
 * teacher's logits are constants (a frozen teacher). α = 0 is plain fine-tuning.
 */
public final class DistillationLoss {
    private final double alpha;
    private final double tau;

    public DistillationLoss(double alpha, double tau) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("distillation weight alpha must be in [0, 1], got " + alpha);
        }
        if (!(tau > 0) || !Double.isFinite(tau)) {
            throw new IllegalArgumentException("distillation temperature tau must be positive and finite, got " + tau);
        }
        this.alpha = alpha;
        this.tau = tau;
    }

    /** Logits [N, V] of student and teacher, targets [N]. */
    public Tensor loss(Tensor studentLogits, Tensor teacherLogits, int[] targets) {
        if (!java.util.Arrays.equals(studentLogits.shape(), teacherLogits.shape())) {
            throw new IllegalArgumentException("student logits " + java.util.Arrays.toString(studentLogits.shape())
                    + " and teacher logits " + java.util.Arrays.toString(teacherLogits.shape()) + " differ in shape");
        }
        Tensor ce = Losses.crossEntropy(studentLogits, targets);
        if (alpha == 0) {
            return ce;
        }
        int last = studentLogits.rank() - 1;
        Tensor teacherLogProbs = Tensor.of(teacherLogits.value()).div(tau).logSoftmax(last);
        Tensor studentLogProbs = studentLogits.div(tau).logSoftmax(last);
        Tensor teacherProbs = teacherLogProbs.exp();
        long tokens = studentLogits.value().length() / studentLogits.size(last);
        Tensor kl = teacherProbs.mul(teacherLogProbs.sub(studentLogProbs)).sum().div(tokens);
        return ce.mul(1 - alpha).add(kl.mul(alpha * tau * tau));
    }
}
