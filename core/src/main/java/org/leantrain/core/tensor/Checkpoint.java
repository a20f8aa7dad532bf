package org.leantrain.core.tensor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Re-materialisation: forward runs a segment without recording and keeps only its inputs; backward re-runs the
 * segment with recording on (and with the RNG states it had in forward, so dropout masks match) and
 * differentiates through the re-run. Peak saved memory drops to the segment inputs plus one segment at a time.
 *
 * <p>The segment's parameters must be passed, so that gradients reach them even when no input requires one.
 */
public final class Checkpoint {
    private Checkpoint() {}

    /** A piece of a network: inputs to outputs, built from tensor ops. */
    @FunctionalInterface
    public interface Segment {
        Tensor[] forward(Tensor... inputs);
    }

    /** Single-input, single-output convenience. */
    public static Tensor apply(java.util.function.UnaryOperator<Tensor> segment, Tensor input,
                               Collection<Tensor> parameters, Rng... replay) {
        return apply(in -> new Tensor[] {segment.apply(in[0])}, new Tensor[] {input}, parameters, replay)[0];
    }

    public static Tensor[] apply(Segment segment, Tensor[] inputs, Collection<Tensor> parameters, Rng... replay) {
        List<Tensor> trainable = new ArrayList<>();
        for (Tensor p : parameters) {
            if (p.requiresGrad()) {
                trainable.add(p);
            }
        }
        Tensor[] all = new Tensor[inputs.length + trainable.size()];
        System.arraycopy(inputs, 0, all, 0, inputs.length);
        for (int i = 0; i < trainable.size(); i++) {
            all[inputs.length + i] = trainable.get(i);
        }
        return new Rematerialize(segment, inputs.length, trainable, replay).apply(all);
    }

    private static final class Rematerialize extends Function {
        private final Segment segment;
        private final int inputCount;
        private final List<Tensor> parameters;
        private final Rng[] replay;

        Rematerialize(Segment segment, int inputCount, List<Tensor> parameters, Rng[] replay) {
            this.segment = segment;
            this.inputCount = inputCount;
            this.parameters = parameters;
            this.replay = replay;
        }

        @Override
        public String name() {
            return "checkpoint";
        }

        @Override
        protected INDArray[] forward(Context ctx, INDArray... values) {
            ctx.put("rngStates", states());
            Tensor[] in = new Tensor[inputCount];
            for (int i = 0; i < inputCount; i++) {
                in[i] = Tensor.of(values[i]);
                ctx.save(values[i]);
            }
            Tensor[] out = segment.forward(in);
            INDArray[] result = new INDArray[out.length];
            for (int i = 0; i < out.length; i++) {
                result[i] = out[i].value();
            }
            return result;
        }

        @Override
        protected INDArray[] backward(Context ctx, INDArray... gradOutputs) {
            long[] afterForward = states();
            restore(ctx.get("rngStates"));
            List<Tensor> wrt = new ArrayList<>();
            List<Integer> wrtIndex = new ArrayList<>();
            Tensor[] in = new Tensor[inputCount];
            for (int i = 0; i < inputCount; i++) {
                boolean needed = ctx.needsInputGrad(i);
                in[i] = needed ? Tensor.of(ctx.saved(i)).requireGrad(true) : Tensor.of(ctx.saved(i));
                if (needed) {
                    wrt.add(in[i]);
                    wrtIndex.add(i);
                }
            }
            for (int p = 0; p < parameters.size(); p++) {
                if (ctx.needsInputGrad(inputCount + p)) {
                    wrt.add(parameters.get(p));
                    wrtIndex.add(inputCount + p);
                }
            }
            Tensor[] out;
            try (GradMode.Scope ignored = GradMode.enableGrad()) {
                out = segment.forward(in);
            } finally {
                restore(afterForward);
            }
            INDArray[] grads = new INDArray[inputCount + parameters.size()];
            if (wrt.isEmpty()) {
                return grads;
            }
            INDArray[] g = Autograd.grad(out, gradOutputs, wrt.toArray(new Tensor[0]));
            for (int k = 0; k < g.length; k++) {
                grads[wrtIndex.get(k)] = g[k];
            }
            return grads;
        }

        private long[] states() {
            long[] s = new long[replay.length];
            for (int i = 0; i < replay.length; i++) {
                s[i] = replay[i].state();
            }
            return s;
        }

        private void restore(long[] s) {
            for (int i = 0; i < replay.length; i++) {
                replay[i].restore(s[i]);
            }
        }
    }
}
