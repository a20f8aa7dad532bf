package org.leantrain.sde;

import java.util.List;
import org.leantrain.core.tensor.Tensor;

/** The prior drift b(x, t) on a batch of states (rows = paths), differentiable through the tape. */
public interface Drift {
    Tensor eval(Tensor x, double t);

    /** The drift's exact linear part if it has one (a linear prior, or "linear + MLP"), else null. */
    default LinearPart linearPart() {
        return null;
    }

    /** Learned prior parameters (trained with the control), empty for a fixed prior. */
    default List<Tensor> parameters() {
        return List.of();
    }
}
