package org.leantrain.core.optim;

import java.util.List;
import org.leantrain.core.tensor.Tensor;

/** Updates parameters in place from their gradients; parameters whose gradient is null are skipped. */
public interface Optimizer {
    void step();

    List<Tensor> parameters();

    double learningRate();

    void setLearningRate(double learningRate);

    default void zeroGrad() {
        parameters().forEach(Tensor::zeroGrad);
    }

    static void checkLearningRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learningRate must be a positive finite number, got " + lr);
        }
    }
}
