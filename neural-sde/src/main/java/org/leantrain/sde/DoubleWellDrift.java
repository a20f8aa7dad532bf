package org.leantrain.sde;

import org.leantrain.core.tensor.Tensor;

/** The 1-D double-well prior b(x) = x − x³ of experiment E3 (wells at ±1); no exact linear part. */
public final class DoubleWellDrift implements Drift {
    @Override
    public Tensor eval(Tensor x, double t) {
        return x.sub(x.pow(3));
    }
}
