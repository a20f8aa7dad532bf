package org.leantrain.core.optim;

import java.util.List;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam with bias correction, and AdamW (decoupled weight decay), as PyTorch's:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
 * Adam's weight decay adds λ·p to g; AdamW's multiplies p by (1 − lr·λ) before the update.
 */
public final class Adam extends Optimizer {
    private final INDArray[] m;
    private final INDArray[] v;
    private final long[] steps;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;

    public Adam(List<Tensor> parameters, double learningRate, double beta1, double beta2, double eps,
                double weightDecay, boolean decoupled) {
        super(parameters, learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0) || !(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("Adam needs eps > 0 and finite weightDecay >= 0, got eps=" + eps
                    + ", weightDecay=" + weightDecay);
        }
        this.m = new INDArray[parameters.size()];
        this.v = new INDArray[parameters.size()];
        this.steps = new long[parameters.size()];
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /** Adam with β = (0.9, 0.999), ε = 1e-8, no weight decay. */
    public static Adam adam(List<Tensor> parameters, double learningRate) {
        return new Adam(parameters, learningRate, 0.9, 0.999, 1e-8, 0, false);
    }

    /** AdamW with β = (0.9, 0.999), ε = 1e-8. */
    public static Adam adamW(List<Tensor> parameters, double learningRate, double weightDecay) {
        return new Adam(parameters, learningRate, 0.9, 0.999, 1e-8, weightDecay, true);
    }

    @Override
    protected void update(int i, Tensor p, INDArray grad) {
        double lr = learningRate();
        INDArray value = p.value();
        INDArray g = grad;
        if (weightDecay > 0 && decoupled) {
            value.muli(1 - lr * weightDecay);
        } else if (weightDecay > 0) {
            g = g.add(value.mul(weightDecay));
        }
        if (m[i] == null) {
            m[i] = StepMemory.outside(() -> Nd4j.zeros(value.dataType(), value.shape()));
            v[i] = StepMemory.outside(() -> Nd4j.zeros(value.dataType(), value.shape()));
        }
        long t = ++steps[i];
        m[i].muli(beta1).addi(g.mul(1 - beta1));
        v[i].muli(beta2).addi(g.mul(g).muli(1 - beta2));
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        INDArray denominator = Transforms.sqrt(v[i].div(correction2), false).addi(eps);
        value.subi(m[i].div(denominator).muli(lr / correction1));
    }
}
