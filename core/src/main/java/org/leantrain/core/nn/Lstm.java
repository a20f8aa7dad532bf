package org.leantrain.core.nn;

import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** An LSTM over a sequence [B, T, in] from the zero state; returns every hidden state, [B, T, H]. */
public final class Lstm extends Module {
    private final LstmCell cell;

    public Lstm(int inputSize, int hiddenSize, DataType type, Rng rng) {
        this.cell = child("cell", new LstmCell(inputSize, hiddenSize, type, rng));
    }

    public LstmCell cell() {
        return cell;
    }

    @Override
    protected Tensor compute(Tensor x) {
        if (x.rank() != 3) {
            throw new IllegalArgumentException("Lstm expects [B, T, in], got " + java.util.Arrays.toString(x.shape()));
        }
        long batch = x.size(0);
        int steps = (int) x.size(1);
        LstmCell.State state = cell.zeroState(batch);
        Tensor[] outputs = new Tensor[steps];
        Tensor projected = x.matmul(cell.inputWeight()); // [B, T, 4H]: the input projection of all steps at once
        long gates = projected.size(2);
        for (int t = 0; t < steps; t++) {
            state = cell.stepProjected(projected.slice(1, t, t + 1).reshape(batch, gates), state);
            outputs[t] = state.h().reshape(batch, 1, cell.hiddenSize());
        }
        return Tensor.concat(1, outputs);
    }
}
