package org.leantrain.core.nn;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network piece with named parameters and sub-modules. Subclasses register what they own in their constructor
 * ({@link #parameter}, {@link #child}) and implement {@link #compute}; callers use {@link #forward}, which also
 * runs the forward hooks. Parameter names are stable and hierarchical ("0.weight", "blocks.1.attention.qkv.bias").
 *
 * <p>File format of {@link #save}/{@link #load} (version 1), big-endian: the UTF string "leantrain-module", an int
 * version, an int parameter count, then per parameter: UTF name, UTF data type (FLOAT or DOUBLE), int rank, rank
 * longs of shape, and the values in c order as floats or doubles.
 */
public abstract class Module {
    private static final String MAGIC = "leantrain-module";
    private static final int FORMAT_VERSION = 1;

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final List<ForwardHook> hooks = new ArrayList<>();
    private boolean training = true;

    /** The module's computation; called by {@link #forward}. */
    protected abstract Tensor compute(Tensor input);

    /** Runs the module, then its forward hooks with the real input and output. */
    public final Tensor forward(Tensor input) {
        Tensor output = compute(input);
        for (ForwardHook hook : List.copyOf(hooks)) {
            hook.onForward(this, input, output);
        }
        return output;
    }

    /** Called after each forward of the module it is registered on. */
    @FunctionalInterface
    public interface ForwardHook {
        void onForward(Module module, Tensor input, Tensor output);
    }

    /** Registers a hook; closing the returned handle removes it. */
    public final HookHandle registerForwardHook(ForwardHook hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Removes a forward hook when closed. */
    @FunctionalInterface
    public interface HookHandle extends AutoCloseable {
        @Override
        void close();
    }

    protected final Tensor parameter(String name, Tensor value) {
        if (!value.isParameter()) {
            throw new IllegalArgumentException("parameter '" + name + "' must be created with Tensor.parameter");
        }
        if (parameters.putIfAbsent(name, value) != null) {
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
        parameters.forEach((name, p) -> into.put(prefix + name, p.named(prefix + name)));
        children.forEach((name, m) -> m.collect(prefix + name + ".", into));
    }

    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters that currently require a gradient (what an optimizer should update). */
    public final List<Tensor> trainableParameters() {
        return parameters().stream().filter(Tensor::requiresGrad).toList();
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

    /**
     * Freezes every parameter of this module and its sub-modules: they get no gradient, and ops keep nothing
     * for them (a frozen layer ahead of the first trainable one records nothing at all).
     */
    public final Module freeze() {
        parameters().forEach(p -> p.requireGrad(false));
        return this;
    }

    public final Module unfreeze() {
        parameters().forEach(p -> p.requireGrad(true));
        return this;
    }

    /** The random sources this module draws from during forward (to replay them), its sub-modules' included. */
    public final List<org.leantrain.core.util.Rng> randomSources() {
        List<org.leantrain.core.util.Rng> all = new ArrayList<>(ownRandomSources());
        children.values().forEach(m -> all.addAll(m.randomSources()));
        return all;
    }

    /** A stochastic module (dropout) returns the RNGs it draws from in forward. */
    protected List<org.leantrain.core.util.Rng> ownRandomSources() {
        return List.of();
    }

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        parameters().forEach(Tensor::zeroGrad);
    }

    public final long parameterCount() {
        return parameters().stream().mapToLong(p -> p.value().length()).sum();
    }

    /** Writes all parameters (format in the class comment). */
    public final void save(Path file) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Map<String, Tensor> named = namedParameters();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeUTF(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(named.size());
            for (Map.Entry<String, Tensor> e : named.entrySet()) {
                INDArray v = e.getValue().value();
                boolean isDouble = v.dataType() == DataType.DOUBLE;
                out.writeUTF(e.getKey());
                out.writeUTF(isDouble ? "DOUBLE" : "FLOAT");
                long[] shape = v.shape();
                out.writeInt(shape.length);
                for (long s : shape) {
                    out.writeLong(s);
                }
                // one bulk copy out of native memory, not one JNI call per element
                INDArray flat = v.dup('c').reshape(v.length());
                if (isDouble) {
                    for (double x : flat.toDoubleVector()) {
                        out.writeDouble(x);
                    }
                } else {
                    for (float x : flat.toFloatVector()) {
                        out.writeFloat(x);
                    }
                }
            }
        }
    }

    /**
     * Reads parameters saved by {@link #save} into this module's parameters (in place). The file must hold exactly
     * this module's parameter names with the same shapes and only finite values; anything else fails with a
     * message naming it.
     */
    public final void load(Path file) throws IOException {
        Map<String, Tensor> named = namedParameters();
        Map<String, INDArray> loaded = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            String magic = in.readUTF();
            if (!MAGIC.equals(magic)) {
                throw new IOException(file + " is not a leantrain module file");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IOException(file + " has format version " + version + "; this leantrain reads version "
                        + FORMAT_VERSION);
            }
            int count = in.readInt();
            for (int p = 0; p < count; p++) {
                String name = in.readUTF();
                String type = in.readUTF();
                long[] shape = new long[in.readInt()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = in.readLong();
                }
                Tensor target = named.get(name);
                if (target == null) {
                    throw new IOException(file + " holds parameter '" + name + "', which this module does not have");
                }
                if (!Arrays.equals(shape, target.shape())) {
                    throw new IOException("parameter '" + name + "' in " + file + " has shape " + Arrays.toString(shape)
                            + " but the module's is " + Arrays.toString(target.shape()));
                }
                long n = target.value().length();
                double[] values = new double[Math.toIntExact(n)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = "DOUBLE".equals(type) ? in.readDouble() : in.readFloat();
                    if (!Double.isFinite(values[i])) {
                        throw new IOException("parameter '" + name + "' in " + file + " holds " + values[i]
                                + " at element " + i + "; the file comes from a diverged run and cannot be loaded");
                    }
                }
                loaded.put(name, org.nd4j.linalg.factory.Nd4j.create(values, shape, target.dataType()));
            }
        } catch (java.io.EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
        for (String name : named.keySet()) {
            if (!loaded.containsKey(name)) {
                throw new IOException(file + " is missing parameter '" + name + "'");
            }
        }
        loaded.forEach((name, value) -> named.get(name).value().assign(value));
    }
}
