package org.leantrain.sde;

import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.factory.Nd4j;

/** A linear prior b(x) = A x + a (Brownian motion with A = 0, Ornstein–Uhlenbeck with A = −θ). */
public final class LinearDrift implements Drift {
    private final LinearPart linear;
    private final Tensor aTransposed;
    private final Tensor offset;

    public LinearDrift(LinearPart linear) {
        this.linear = linear;
        this.aTransposed = Tensor.of(Nd4j.createFromArray(Mat.transpose(linear.a())));
        this.offset = Tensor.of(Nd4j.createFromArray(new double[][] {linear.offset()}));
    }

    public static LinearDrift brownian(int dim) {
        return new LinearDrift(new LinearPart(new double[dim][dim], new double[dim]));
    }

    public static LinearDrift ornsteinUhlenbeck(double theta) {
        return new LinearDrift(LinearPart.scalar(-theta, 0));
    }

    @Override
    public Tensor eval(Tensor x, double t) {
        return x.matmul(aTransposed).add(offset);
    }

    @Override
    public LinearPart linearPart() {
        return linear;
    }
}
