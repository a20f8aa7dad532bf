package org.leantrain.core.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.leantrain.core.tensor.Tensor;

/**
 * A network piece with named parameters and sub-modules. Subclasses register what they own in their constructor
 * ({@link #parameter}, {@link #child}); names are stable and hierarchical ("0.weight", "encoder.1.bias").
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    public abstract Tensor forward(Tensor input);

    protected final Tensor parameter(String name, Tensor value) {
        if (!value.isParameter()) {
            throw new IllegalArgumentException("parameter '" + name + "' must be created with Tensor.parameter");
        }
        if (parameters.putIfAbsent(name, value.named(name)) != null) {
            throw new IllegalArgumentException("parameter '" + name + "' registered twice");
        }
        return value;
    }

    protected final <M extends Module> M child(String name, M module) {
        if (children.putIfAbsent(name, module) != null) {
            throw new IllegalArgumentException("sub-module '" + name + "' registered twice");
        }
        return module;
    }

    /** All parameters of this module and its sub-modules, by hierarchical name, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        collect("", all);
        return Collections.unmodifiableMap(all);
    }

    private void collect(String prefix, Map<String, Tensor> into) {
        parameters.forEach((name, p) -> into.put(prefix + name, p));
        children.forEach((name, m) -> m.collect(prefix + name + ".", into));
    }

    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Switches this module and its sub-modules to training (dropout active) or evaluation mode. */
    public Module train(boolean on) {
        training = on;
        children.values().forEach(m -> m.train(on));
        return this;
    }

    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        parameters().forEach(Tensor::zeroGrad);
    }

    public final long parameterCount() {
        return parameters().stream().mapToLong(p -> p.value().length()).sum();
    }
}
