package org.leantrain.sde;

import org.leantrain.core.tensor.Tensor;

/** The 1-D double-well prior b(x) = x − x³ of experiment E3 (wells at ±1); no exact linear part. */
public final class DoubleWellDrift implements ExplicitDrift {
    @Override
    public Tensor eval(Tensor x, double t) {
        return x.sub(x.pow(3));
    }

    @Override
    public void value(double[] x, int paths, double t, double[] out) {
        for (int m = 0; m < paths; m++) {
            out[m] = x[m] - x[m] * x[m] * x[m];
        }
    }

    @Override
    public void backward(double[] x, int paths, double t, double[] g, double[] gx, double[] gParams) {
        for (int m = 0; m < paths; m++) {
            gx[m] += g[m] * (1 - 3 * x[m] * x[m]);
        }
    }
}
