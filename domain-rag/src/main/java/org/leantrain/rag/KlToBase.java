package org.leantrain.rag;

import org.leantrain.core.tensor.Function;
import org.leantrain.core.tensor.Nd;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Exact per-token KL between the policy softmax(z) and the frozen base distribution q over the whole vocabulary (the
 * MoL term, spec §2), as one fused function of the logits z [N, V] with log q [N, V] a constant: output [N].
 * POLICY_TO_BASE is KL(p‖q) (MoLER eq. 3), gradient p ⊙ (log p − log q − KL); BASE_TO_POLICY is KL(q‖p), gradient
 * p − q. Log-probabilities by max-subtracted log-softmax.
 */
public final class KlToBase extends Function {
    public enum Direction { POLICY_TO_BASE, BASE_TO_POLICY }

    private final Direction direction;

    public KlToBase(Direction direction) {
        this.direction = direction;
    }

    /** Per-row KL of softmax(logits) to exp(logq). */
    public static Tensor perToken(Tensor logits, INDArray logq, Direction direction) {
        return new KlToBase(direction).apply1(logits, Tensor.of(logq));
    }

    @Override
    public String name() {
        return "kl_to_base";
    }

    /** Row-wise log-softmax of logits [N, V]. */
    static INDArray logSoftmax(INDArray z) {
        return Nd.logSoftmax(z, 1);
    }

    @Override
    protected INDArray[] forward(Context ctx, INDArray... inputs) {
        INDArray logp = logSoftmax(inputs[0]);
        INDArray logq = inputs[1];
        INDArray p = Transforms.exp(logp, true);
        INDArray kl;
        if (direction == Direction.POLICY_TO_BASE) {
            kl = p.mul(logp.sub(logq)).sum(1);
        } else {
            kl = Transforms.exp(logq, true).mul(logq.sub(logp)).sum(1);
        }
        ctx.save(logp, logq, kl);
        return new INDArray[] {kl};
    }

    @Override
    protected INDArray[] backward(Context ctx, INDArray... gradOutputs) {
        INDArray logp = ctx.saved(0);
        INDArray logq = ctx.saved(1);
        INDArray kl = ctx.saved(2);
        INDArray p = Transforms.exp(logp, true);
        INDArray dz;
        if (direction == Direction.POLICY_TO_BASE) {
            dz = p.mul(logp.sub(logq).subColumnVector(kl.reshape(kl.length(), 1)));
        } else {
            dz = p.sub(Transforms.exp(logq, true));
        }
        dz.muliColumnVector(gradOutputs[0].reshape(gradOutputs[0].length(), 1));
        return new INDArray[] {dz, null};
    }
}
