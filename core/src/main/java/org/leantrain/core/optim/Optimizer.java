package org.leantrain.core.optim;

import java.util.List;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Updates parameters in place from their gradients; parameters whose gradient is null (frozen or unused) are
 * skipped. Subclasses implement the update of one parameter; per-parameter state is indexed by its position.
 */
public abstract class Optimizer {
    private final List<Tensor> parameters;
    private double learningRate;

    protected Optimizer(List<Tensor> parameters, double learningRate) {
        checkLearningRate(learningRate);
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
    }

    /** Updates {@code parameter} (the {@code index}-th) from its non-null gradient. */
    protected abstract void update(int index, Tensor parameter, INDArray grad);

    public final void step() {
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = parameters.get(i);
            if (p.grad() != null) {
                update(i, p, p.grad());
            }
        }
    }

    public final List<Tensor> parameters() {
        return parameters;
    }

    public final double learningRate() {
        return learningRate;
    }

    public final void setLearningRate(double lr) {
        checkLearningRate(lr);
        this.learningRate = lr;
    }

    public final void zeroGrad() {
        parameters.forEach(Tensor::zeroGrad);
    }

    private static void checkLearningRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learningRate must be a positive finite number, got " + lr);
        }
    }
}
