package org.leantrain.core.nn;

import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * y = x·W + b with W [in, out] (so the product needs no transpose). Initialised as PyTorch's nn.Linear:
 * W and b uniform in ±1/√in. Accepts [N, in] and [B, T, in].
 */
public final class Linear extends Module {
    private final Tensor weight;
    private final Tensor bias;
    private final long in;

    public Linear(long in, long out, Rng rng) {
        this(in, out, true, DataType.FLOAT, rng);
    }

    public Linear(long in, long out, boolean withBias, DataType type, Rng rng) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in=" + in + ", out=" + out);
        }
        this.in = in;
        this.weight = parameter("weight", Tensor.parameter(Init.fanInUniform(rng, type, in, in, out)));
        this.bias = withBias ? parameter("bias", Tensor.parameter(Init.fanInUniform(rng, type, in, out))) : null;
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    protected Tensor compute(Tensor x) {
        if (x.size(x.rank() - 1) != in) {
            throw new IllegalArgumentException("Linear expects inputs whose last dimension is " + in + ", got shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        if (bias == null) {
            return x.matmul(weight);
        }
        return x.rank() <= 3 ? x.affine(weight, bias) : x.matmul(weight).add(bias);
    }
}
