package org.leantrain.core.nn;

import org.leantrain.core.tensor.Conv;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** 2-D convolution over NCHW inputs, weight [out, in, k, k], initialised as PyTorch's nn.Conv2d. */
public final class Conv2d extends Module {
    private final Tensor weight;
    private final Tensor bias;
    private final int stride;
    private final int padding;

    public Conv2d(int in, int out, int kernel, int stride, int padding, DataType type, Rng rng) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv2d needs positive channels, kernel and stride and padding >= 0, got"
                    + " in=" + in + ", out=" + out + ", kernel=" + kernel + ", stride=" + stride + ", padding=" + padding);
        }
        long fanIn = (long) in * kernel * kernel;
        this.weight = parameter("weight", Tensor.parameter(Init.fanInUniform(rng, type, fanIn, out, in, kernel, kernel)));
        this.bias = parameter("bias", Tensor.parameter(Init.fanInUniform(rng, type, fanIn, out)));
        this.stride = stride;
        this.padding = padding;
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding, Rng rng) {
        this(in, out, kernel, stride, padding, DataType.FLOAT, rng);
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    protected Tensor compute(Tensor x) {
        return Conv.conv2d(x, weight, bias, stride, padding);
    }
}
