package org.leantrain.core.tensor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One recorded op on the tape: where its inputs came from, the arrays its backward keeps, and the backward itself.
 * Inputs are referenced as edges (producing node and output slot, or a leaf), never as values, so an input's
 * value stays alive only if the op saved it.
 */
final class Node {
    final String op;
    final Node[] inputNodes;
    final int[] inputSlots;
    final Tensor[] inputLeaves;
    final long[][] inputShapes;
    final long[][] outputShapes;
    final DataType dataType;
    private Backward backward;
    private INDArray[] saved;
    private final Memory.Counter counter;

    Node(String op, Tensor[] inputs, long[][] outputShapes, DataType dataType, INDArray[] saved, Backward backward) {
        this.op = op;
        int n = inputs.length;
        this.inputNodes = new Node[n];
        this.inputSlots = new int[n];
        this.inputLeaves = new Tensor[n];
        this.inputShapes = new long[n][];
        for (int i = 0; i < n; i++) {
            Tensor in = inputs[i];
            inputShapes[i] = in.shape();
            if (!in.requiresGrad()) {
                continue;
            }
            if (in.node == null) {
                inputLeaves[i] = in;
            } else {
                inputNodes[i] = in.node;
                inputSlots[i] = in.slot;
            }
        }
        this.outputShapes = outputShapes;
        this.dataType = dataType;
        this.saved = withoutParameterValues(saved, inputs);
        this.backward = backward;
        this.counter = Memory.counter();
        counter.hold(this.saved);
    }

    /** Parameter values live with the model anyway; keeping them for backward costs no extra memory. */
    private static INDArray[] withoutParameterValues(INDArray[] saved, Tensor[] inputs) {
        if (saved == null) {
            return new INDArray[0];
        }
        java.util.List<INDArray> kept = new java.util.ArrayList<>(saved.length);
        for (INDArray a : saved) {
            boolean isParameterValue = false;
            for (Tensor in : inputs) {
                isParameterValue |= in.isParameter() && in.value() == a;
            }
            if (!isParameterValue) {
                kept.add(a);
            }
        }
        return kept.toArray(new INDArray[0]);
    }

    boolean requiresGrad(int input) {
        return inputNodes[input] != null || inputLeaves[input] != null;
    }

    boolean released() {
        return backward == null;
    }

    INDArray[] runBackward(INDArray[] gradOutputs, boolean[] needsInputGrad) {
        if (backward == null) {
            throw new IllegalStateException("backward through op '" + op + "' whose graph was already freed by an"
                    + " earlier backward(); pass retainGraph=true to the first backward to go through it twice");
        }
        return backward.apply(gradOutputs, needsInputGrad);
    }

    /** Drops the backward and the saved arrays (and their count in {@link Memory}). Idempotent. */
    void release() {
        if (backward != null) {
            counter.release(saved);
            backward = null;
            saved = null;
        }
    }

    /** A node's backward: gradients of the outputs in, gradients of the inputs out (null where not needed). */
    @FunctionalInterface
    interface Backward {
        INDArray[] apply(INDArray[] gradOutputs, boolean[] needsInputGrad);
    }
}
