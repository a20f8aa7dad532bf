package org.leantrain.pipeline;

import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.Function;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** y = w·x with a scalar parameter w, spinning a fixed time in forward and in backward: a layer of known cost. */
final class BusyLayer extends Module {
    private final long forwardNanos;
    private final long backwardNanos;
    private final Tensor w;

    BusyLayer(long forwardNanos, long backwardNanos, DataType type) {
        this.forwardNanos = forwardNanos;
        this.backwardNanos = backwardNanos;
        this.w = parameter("w", Tensor.parameter(Nd4j.ones(type, 1, 1)));
    }

    static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Override
    protected Tensor compute(Tensor x) {
        return new Function() {
            @Override
            protected INDArray[] forward(Context ctx, INDArray... in) {
                spin(forwardNanos);
                ctx.save(in[0]);
                return new INDArray[] {in[0].mul(in[1].getDouble(0))};
            }

            @Override
            protected INDArray[] backward(Context ctx, INDArray... g) {
                spin(backwardNanos);
                INDArray x0 = ctx.saved(0);
                INDArray gw = Nd4j.scalar(g[0].dataType(), g[0].mul(x0).sumNumber().doubleValue()).reshape(1, 1);
                return new INDArray[] {g[0].mul(w.value().getDouble(0)), gw};
            }
        }.apply(x, w)[0];
    }
}
