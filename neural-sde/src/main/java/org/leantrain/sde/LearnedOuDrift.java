package org.leantrain.sde;

import java.util.List;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.factory.Nd4j;

/** A 1-D Ornstein–Uhlenbeck prior b(x) = −θ x whose rate θ is learned with the control (a prior parameter). */
public final class LearnedOuDrift implements ExplicitDrift {
    private final Tensor theta;

    public LearnedOuDrift(double initialTheta) {
        this.theta = Tensor.parameter(Nd4j.createFromArray(new double[][] {{initialTheta}})).named("theta");
    }

    public Tensor theta() {
        return theta;
    }

    @Override
    public Tensor eval(Tensor x, double t) {
        return x.mul(theta).neg();
    }

    /** The current −θ (the control's surrogate is rebuilt from it outside the tape). */
    @Override
    public LinearPart linearPart() {
        return LinearPart.scalar(-theta.value().getDouble(0), 0);
    }

    @Override
    public List<Tensor> parameters() {
        return List.of(theta);
    }

    @Override
    public void value(double[] x, int paths, double t, double[] out) {
        double th = theta.value().getDouble(0);
        for (int m = 0; m < paths; m++) {
            out[m] = -th * x[m];
        }
    }

    @Override
    public void backward(double[] x, int paths, double t, double[] g, double[] gx, double[] gParams) {
        double th = theta.value().getDouble(0);
        for (int m = 0; m < paths; m++) {
            gx[m] -= th * g[m];
            gParams[0] -= x[m] * g[m];
        }
    }
}
