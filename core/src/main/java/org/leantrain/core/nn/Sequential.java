package org.leantrain.core.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.leantrain.core.tensor.Checkpoint;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;

/** Modules applied in order; children are named 0, 1, 2, … */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();
    private int checkpointEvery;

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

    /**
     * Re-materialise in segments of {@code k} layers during training: only each segment's input is kept, and the
     * segment is re-run in backward with its dropout RNGs replayed, so gradients are unchanged. 0 turns it off.
     */
    public Sequential checkpointEvery(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("checkpointEvery must be >= 0, got " + k);
        }
        this.checkpointEvery = k;
        return this;
    }

    @Override
    protected Tensor compute(Tensor x) {
        if (checkpointEvery == 0 || !isTraining() || !GradMode.isEnabled()) {
            return run(layers, x);
        }
        for (int start = 0; start < layers.size(); start += checkpointEvery) {
            List<Module> segment = layers.subList(start, Math.min(layers.size(), start + checkpointEvery));
            List<Tensor> params = new ArrayList<>();
            List<Rng> rngs = new ArrayList<>();
            for (Module m : segment) {
                params.addAll(m.parameters());
                rngs.addAll(m.randomSources());
            }
            x = Checkpoint.apply(in -> run(segment, in), x, params, rngs.toArray(new Rng[0]));
        }
        return x;
    }

    private static Tensor run(List<Module> modules, Tensor x) {
        for (Module m : modules) {
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
