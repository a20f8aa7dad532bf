package org.leantrain.sde;

import java.util.List;
import org.leantrain.core.tensor.Tensor;

/** The posterior's control u(x, t) at Euler step k, on a batch of states [M, d] → [M, d_w]. */
public interface Control {
    Tensor u(Tensor x, int k, double t);

    /** Trainable parameters (empty for the fixed linear control). */
    default List<Tensor> parameters() {
        return List.of();
    }

    /** A short label for tables and plots. */
    String name();

    /** Called when a learned prior changed and the linear control was recomputed (no-op for controls without one). */
    default void linearControlChanged(LinearControl fresh) {}
}
