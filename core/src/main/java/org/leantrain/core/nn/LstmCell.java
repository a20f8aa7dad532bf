package org.leantrain.core.nn;

import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One LSTM step with PyTorch's gate order and initialisation:
 * [i, f, g, o] = x·W_ih + h·W_hh + b; c' = σ(f)⊙c + σ(i)⊙tanh(g); h' = σ(o)⊙tanh(c').
 * W_ih is [in, 4H] and W_hh is [H, 4H] (the transposes of PyTorch's), one bias (PyTorch's b_ih + b_hh).
 */
public final class LstmCell extends Module {
    private final Tensor inputWeight;
    private final Tensor hiddenWeight;
    private final Tensor bias;
    private final int inputSize;
    private final int hiddenSize;

    /** Hidden and cell state, each [N, H]. */
    public record State(Tensor h, Tensor c) {}

    public LstmCell(int inputSize, int hiddenSize, DataType type, Rng rng) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("LstmCell needs positive sizes, got " + inputSize + ", " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        long gates = 4L * hiddenSize;
        this.inputWeight = parameter("weight_ih", Tensor.parameter(Init.fanInUniform(rng, type, hiddenSize, inputSize, gates)));
        this.hiddenWeight = parameter("weight_hh", Tensor.parameter(Init.fanInUniform(rng, type, hiddenSize, hiddenSize, gates)));
        this.bias = parameter("bias", Tensor.parameter(Init.fanInUniform(rng, type, hiddenSize, gates)));
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public Tensor inputWeight() {
        return inputWeight;
    }

    public Tensor hiddenWeight() {
        return hiddenWeight;
    }

    public Tensor bias() {
        return bias;
    }

    /** Zero state for a batch. */
    public State zeroState(long batch) {
        return new State(Tensor.zeros(inputWeight.dataType(), batch, hiddenSize),
                Tensor.zeros(inputWeight.dataType(), batch, hiddenSize));
    }

    public State step(Tensor x, State state) {
        if (x.rank() != 2 || x.size(1) != inputSize) {
            throw new IllegalArgumentException("LstmCell expects [N, " + inputSize + "], got "
                    + java.util.Arrays.toString(x.shape()));
        }
        return stepProjected(x.matmul(inputWeight), state);
    }

    /**
     * A step whose input projection x·W_ih [N, 4H] was computed already (a sequence does it for all steps in one
     * product).
     */
    public State stepProjected(Tensor projectedInput, State state) {
        Tensor gates = projectedInput.add(state.h().matmul(hiddenWeight)).add(bias);
        Tensor[] g = gates.split(1, hiddenSize, hiddenSize, hiddenSize, hiddenSize);
        Tensor c = g[1].sigmoid().mul(state.c()).add(g[0].sigmoid().mul(g[2].tanh()));
        Tensor h = g[3].sigmoid().mul(c.tanh());
        return new State(h, c);
    }

    /** One step from the zero state; returns h'. */
    @Override
    protected Tensor compute(Tensor x) {
        return step(x, zeroState(x.size(0))).h();
    }
}
