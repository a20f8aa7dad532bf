package org.leantrain.sde;

import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.factory.Nd4j;

/** A linear prior b(x) = A x + a (Brownian motion with A = 0, Ornstein–Uhlenbeck with A = −θ). */
public final class LinearDrift implements ExplicitDrift {
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

    @Override
    public void value(double[] x, int paths, double t, double[] out) {
        double[][] a = linear.a();
        double[] offset = linear.offset();
        int d = offset.length;
        for (int m = 0; m < paths; m++) {
            for (int i = 0; i < d; i++) {
                double s = offset[i];
                for (int j = 0; j < d; j++) {
                    s += a[i][j] * x[m * d + j];
                }
                out[m * d + i] = s;
            }
        }
    }

    @Override
    public void backward(double[] x, int paths, double t, double[] g, double[] gx, double[] gParams) {
        double[][] a = linear.a();
        int d = a.length;
        for (int m = 0; m < paths; m++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int i = 0; i < d; i++) {
                    s += a[i][j] * g[m * d + i];
                }
                gx[m * d + j] += s;
            }
        }
    }
}
