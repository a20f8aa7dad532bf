package org.leantrain.sde;

import org.leantrain.core.tensor.Tensor;

/** u = u_lin, not trained: the reference level ELBO*_K (the optimum for a linear prior, up to Euler error). */
public final class LinearOnlyControl implements Control {
    private LinearControl linear;

    public LinearOnlyControl(LinearControl linear) {
        this.linear = linear;
    }

    @Override
    public Tensor u(Tensor x, int k, double t) {
        return linear.apply(x, k);
    }

    LinearControl linear() {
        return linear;
    }

    @Override
    public String name() {
        return "linear only";
    }

    @Override
    public void linearControlChanged(LinearControl fresh) {
        this.linear = fresh;
    }
}
