package org.leantrain.core.nn;

import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Normalises over the last dimension: (x − mean) / √(var + eps) · γ + β, biased variance as PyTorch. */
public final class LayerNorm extends Module {
    private final Tensor gamma;
    private final Tensor beta;
    private final long size;
    private final double eps;

    public LayerNorm(long size, DataType type) {
        this(size, 1e-5, type);
    }

    public LayerNorm(long size, double eps, DataType type) {
        if (size < 1 || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm needs size >= 1 and eps > 0, got size=" + size + ", eps=" + eps);
        }
        this.size = size;
        this.eps = eps;
        this.gamma = parameter("weight", Tensor.parameter(Nd4j.ones(type, size)));
        this.beta = parameter("bias", Tensor.parameter(Nd4j.zeros(type, size)));
    }

    @Override
    protected Tensor compute(Tensor x) {
        int last = x.rank() - 1;
        if (x.size(last) != size) {
            throw new IllegalArgumentException("LayerNorm(" + size + ") got shape " + java.util.Arrays.toString(x.shape()));
        }
        Tensor centred = x.sub(x.mean(true, last));
        Tensor variance = centred.square().mean(true, last);
        return centred.div(variance.add(eps).sqrt()).mul(gamma).add(beta);
    }
}
