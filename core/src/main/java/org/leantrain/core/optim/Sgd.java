package org.leantrain.core.optim;

import java.util.List;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stochastic gradient descent as PyTorch's SGD: g ← g + λ·p (weight decay); v ← μ·v + g (v = g at the first
 * step); p ← p − lr·(g + μ·v) with Nesterov momentum, p ← p − lr·v without.
 */
public final class Sgd extends Optimizer {
    private final INDArray[] velocity;
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;

    public Sgd(List<Tensor> parameters, double learningRate, double momentum) {
        this(parameters, learningRate, momentum, false, 0);
    }

    public Sgd(List<Tensor> parameters, double learningRate, double momentum, boolean nesterov, double weightDecay) {
        super(parameters, learningRate);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be a finite number >= 0, got " + weightDecay);
        }
        this.velocity = new INDArray[parameters.size()];
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    protected void update(int i, Tensor p, INDArray grad) {
        INDArray g = weightDecay > 0 ? grad.add(p.value().mul(weightDecay)) : grad;
        INDArray update = g;
        if (momentum > 0) {
            if (velocity[i] == null) {
                velocity[i] = StepMemory.outside(() -> g.dup('c'));
            } else {
                velocity[i].muli(momentum).addi(g);
            }
            update = nesterov ? g.add(velocity[i].mul(momentum)) : velocity[i];
        }
        Nd4j.exec(new Axpy(update, p.value(), p.value(), -learningRate())); // p ← p − lr·update, in place
    }
}
