package org.leantrain.sde;

import java.util.List;
import org.leantrain.core.tensor.Tensor;

/** u = u_lin + u_NN (spec §2.4): the linear optimum of the (surrogate) linear prior plus a learned residual. */
public final class HybridControl implements Control {
    private LinearControl linear;
    private final NeuralControl residual;
    private final String name;

    public HybridControl(LinearControl linear, NeuralControl residual) {
        this(linear, residual, "hybrid");
    }

    private HybridControl(LinearControl linear, NeuralControl residual, String name) {
        this.linear = linear;
        this.residual = residual;
        this.name = name;
    }

    /** The ablation of §5: a hybrid whose residual's last layer is randomly initialised (it does not start at u_lin). */
    public static HybridControl withoutZeroInit(LinearControl linear, NeuralControl randomLastLayer) {
        return new HybridControl(linear, randomLastLayer, "hybrid (random last layer)");
    }

    @Override
    public Tensor u(Tensor x, int k, double t) {
        return linear.apply(x, k).add(residual.u(x, k, t));
    }

    LinearControl linear() {
        return linear;
    }

    NeuralControl residual() {
        return residual;
    }

    @Override
    public List<Tensor> parameters() {
        return residual.parameters();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void linearControlChanged(LinearControl fresh) {
        this.linear = fresh;
    }
}
