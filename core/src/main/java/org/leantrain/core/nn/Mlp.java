package org.leantrain.core.nn;

import java.util.function.UnaryOperator;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Linear layers of the given widths with an activation between them (none after the last). */
public final class Mlp extends Module {
    private final Sequential layers;

    public Mlp(int[] widths, UnaryOperator<Tensor> activation, DataType type, Rng rng) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("an Mlp needs at least input and output widths, got "
                    + java.util.Arrays.toString(widths));
        }
        Sequential seq = new Sequential();
        for (int i = 0; i + 1 < widths.length; i++) {
            seq.add(new Linear(widths[i], widths[i + 1], true, type, rng));
            if (i + 2 < widths.length) {
                seq.add(Sequential.lambda(activation));
            }
        }
        this.layers = child("layers", seq);
    }

    public Sequential layers() {
        return layers;
    }

    @Override
    protected Tensor compute(Tensor x) {
        return layers.forward(x);
    }
}
