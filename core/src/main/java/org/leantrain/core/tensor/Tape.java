package org.leantrain.core.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Records ops on the tape; every built-in op goes through {@link #record}. */
final class Tape {
    private Tape() {}

    /** Backward of a single-output op: the output gradient in, one gradient per input out (null = none). */
    @FunctionalInterface
    interface GradFn {
        INDArray[] apply(INDArray gradOutput, boolean[] needsInputGrad);
    }

    /** Whether an op on these inputs must be recorded (grad mode on and some input requires a gradient). */
    static boolean recording(Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The op's result; recorded with {@code backward} and the arrays it keeps when {@link #recording} holds.
     * {@code saved} must list every array the backward closure captures, so that {@link Memory} is exact.
     */
    static Tensor record(String op, INDArray out, Tensor[] inputs, INDArray[] saved, GradFn backward) {
        if (!recording(inputs)) {
            return new Tensor(out, false, null, 0);
        }
        Node node = new Node(op, inputs, new long[][] {out.shape()}, out.dataType(), saved,
                (gradOutputs, needs) -> backward.apply(gradOutputs[0], needs));
        return new Tensor(out, true, node, 0);
    }

    static Tensor[] recordMulti(String op, INDArray[] outs, Tensor[] inputs, INDArray[] saved, Node.Backward backward) {
        Tensor[] results = new Tensor[outs.length];
        if (!recording(inputs)) {
            for (int i = 0; i < outs.length; i++) {
                results[i] = new Tensor(outs[i], false, null, 0);
            }
            return results;
        }
        long[][] shapes = new long[outs.length][];
        for (int i = 0; i < outs.length; i++) {
            shapes[i] = outs[i].shape();
        }
        Node node = new Node(op, inputs, shapes, outs[0].dataType(), saved, backward);
        for (int i = 0; i < outs.length; i++) {
            results[i] = new Tensor(outs[i], true, node, i);
        }
        return results;
    }

    /** The arrays a backward keeps, nulls (sides that need nothing) left out. */
    static INDArray[] saved(INDArray... arrays) {
        int n = 0;
        for (INDArray a : arrays) {
            if (a != null) {
                n++;
            }
        }
        if (n == arrays.length) {
            return arrays;
        }
        INDArray[] kept = new INDArray[n];
        n = 0;
        for (INDArray a : arrays) {
            if (a != null) {
                kept[n++] = a;
            }
        }
        return kept;
    }

    /** Ops on mixed data types are refused rather than silently cast. */
    static void sameType(String op, Tensor a, Tensor b) {
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(op + ": operands have different data types " + a.dataType()
                    + " and " + b.dataType() + "; cast one of them first");
        }
    }
}
