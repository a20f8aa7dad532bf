package org.leantrain.core.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.leantrain.core.tensor.Tensor;

/** Modules applied in order; children are named 0, 1, 2, … */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    public Sequential add(Module m) {
        layers.add(child(Integer.toString(layers.size()), m));
        return this;
    }

    public List<Module> layers() {
        return List.copyOf(layers);
    }

    @Override
    protected Tensor compute(Tensor x) {
        for (Module m : layers) {
            x = m.forward(x);
        }
        return x;
    }

    /** A parameter-free module from a tensor function, e.g. {@code Sequential.lambda(Tensor::relu)}. */
    public static Module lambda(UnaryOperator<Tensor> f) {
        return new Module() {
            @Override
            protected Tensor compute(Tensor input) {
                return f.apply(input);
            }
        };
    }
}
