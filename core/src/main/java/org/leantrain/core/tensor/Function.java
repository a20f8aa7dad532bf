package org.leantrain.core.tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A user-defined op: its own forward and backward, and its own choice of what to keep for backward.
 *
 * <p>{@link #forward} runs with recording off and sees plain arrays; it calls {@link Context#save} for every array
 * its backward needs (those bytes are what {@link Memory} counts). {@link #backward} receives one gradient per
 * output (zeros for outputs that received none) and returns one gradient per input, or null where
 * {@link Context#needsInputGrad} is false. Reversible blocks and {@link Checkpoint} are built on this.
 */
public abstract class Function {

    protected abstract INDArray[] forward(Context ctx, INDArray... inputs);

    protected abstract INDArray[] backward(Context ctx, INDArray... gradOutputs);

    /** A name for error messages; the class name by default. */
    public String name() {
        return getClass().getSimpleName();
    }

    /** Runs forward and, when any input requires a gradient, records this function on the tape. */
    public final Tensor[] apply(Tensor... inputs) {
        boolean[] requires = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            requires[i] = inputs[i].requiresGrad();
            if (i > 0) {
                Tape.sameType(name(), inputs[0], inputs[i]);
            }
        }
        boolean record = Tape.recording(inputs);
        Context ctx = new Context(record ? requires : new boolean[inputs.length]);
        INDArray[] values = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            values[i] = inputs[i].value();
        }
        INDArray[] outs;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            outs = forward(ctx, values);
        }
        if (outs == null || outs.length == 0) {
            throw new IllegalStateException(name() + ".forward returned no outputs");
        }
        if (!record) {
            ctx.saved.clear();
        }
        return Tape.recordMulti(name(), outs, inputs, ctx.saved.toArray(new INDArray[0]), (gradOutputs, needs) -> {
            ctx.needs = needs;
            INDArray[] grads = backward(ctx, gradOutputs);
            if (grads == null || grads.length != inputs.length) {
                throw new IllegalStateException(name() + ".backward must return " + inputs.length
                        + " gradients (null where not needed), got " + (grads == null ? "null" : grads.length));
            }
            return grads;
        });
    }

    /** Convenience for single-output functions. */
    public final Tensor apply1(Tensor... inputs) {
        return apply(inputs)[0];
    }

    /** What a forward hands to its backward. */
    public static final class Context {
        private final List<INDArray> saved = new ArrayList<>();
        private final Map<String, Object> values = new HashMap<>();
        private boolean[] needs;

        Context(boolean[] needs) {
            this.needs = needs;
        }

        /** Keeps arrays for backward; they are counted in {@link Memory} until backward frees this op. */
        public void save(INDArray... arrays) {
            for (INDArray a : arrays) {
                saved.add(a);
            }
        }

        public INDArray saved(int index) {
            return saved.get(index);
        }

        public int savedCount() {
            return saved.size();
        }

        /** Non-array state (shapes, flags, RNG states); not counted as saved bytes. */
        public void put(String key, Object value) {
            values.put(key, value);
        }

        @SuppressWarnings("unchecked")
        public <T> T get(String key) {
            return (T) values.get(key);
        }

        /** In forward: whether input i requires a gradient; in backward: whether it is wanted now. */
        public boolean needsInputGrad(int input) {
            return needs[input];
        }
    }
}
