package org.leantrain.sde;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The discrete optimal control of the linear (surrogate) prior, u_lin,k(x) = K_k x + g_k (spec §2.3), with the
 * Euler chain's exact log-evidence and the filter states P_k, ν_k. Constants: no gradient flows into them.
 */
public final class LinearControl {
    private final AffineControl affine;
    private final double logZEuler;
    private final List<FilterState> states;
    private final List<Tensor> gainsTransposed = new ArrayList<>();
    private final List<Tensor> offsets = new ArrayList<>();

    LinearControl(AffineControl affine, double logZEuler, List<FilterState> states) {
        this.affine = affine;
        this.logZEuler = logZEuler;
        this.states = List.copyOf(states);
        for (int k = 0; k < affine.steps(); k++) {
            gainsTransposed.add(Tensor.of(Nd4j.createFromArray(Mat.transpose(affine.gains()[k]))));
            offsets.add(Tensor.of(Nd4j.createFromArray(new double[][] {affine.offsets()[k]})));
        }
    }

    /** u_lin,k for a batch of states [M, d] → [M, d_w]. */
    public Tensor apply(Tensor x, int k) {
        return x.matmul(gainsTransposed.get(k)).add(offsets.get(k));
    }

    public AffineControl affine() {
        return affine;
    }

    /** log p(O) of the Euler chain (exact for a linear prior). */
    public double logZEuler() {
        return logZEuler;
    }

    /** P_k, ν_k, γ_k after the observation jump at k (k = 0..K). */
    public FilterState state(int k) {
        return states.get(k);
    }

    /** K_k as [K, d_w, d] and g_k as [K, d_w]. */
    public INDArray gainK() {
        return Nd4j.createFromArray(affine.gains());
    }

    public INDArray offsetG() {
        return Nd4j.createFromArray(affine.offsets());
    }
}
