package org.leantrain.core.optim;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stochastic gradient descent with optional (heavy-ball) momentum, as PyTorch's SGD:
 * v ← μ·v + g; p ← p − lr·v. Parameters whose gradient is null (frozen or unused) are skipped.
 */
public final class Sgd {
    private final List<Tensor> parameters;
    private final INDArray[] velocity;
    private double learningRate;
    private final double momentum;

    public Sgd(List<Tensor> parameters, double learningRate, double momentum) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive finite number, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.parameters = new ArrayList<>(parameters);
        this.velocity = new INDArray[parameters.size()];
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    public void setLearningRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learningRate must be a positive finite number, got " + lr);
        }
        this.learningRate = lr;
    }

    public void step() {
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = parameters.get(i);
            INDArray g = p.grad();
            if (g == null) {
                continue;
            }
            INDArray update = g;
            if (momentum > 0) {
                if (velocity[i] == null) {
                    velocity[i] = StepMemory.outside(() -> g.dup('c'));
                } else {
                    velocity[i].muli(momentum).addi(g);
                }
                update = velocity[i];
            }
            Nd4j.exec(new Axpy(update, p.value(), p.value(), -learningRate)); // p ← p − lr·update, in place
        }
    }

    public void zeroGrad() {
        parameters.forEach(Tensor::zeroGrad);
    }
}
