package org.leantrain.dropout;

import org.leantrain.core.nn.Init;
import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One LSTM layer whose input projection runs through its site's dropout (structured or dense, see
 * {@link DropoutPlan}) and whose recurrence is never masked. Weights are stored input-major, as PyTorch's
 * transposes: Wxᵀ [in, 4H], Whᵀ [H, 4H], one bias [4H] (PyTorch's b_ih + b_hh); gate order i, f, g, o.
 */
public final class LstmLayer extends Module {
    private final Tensor inputWeightT;
    private final Tensor hiddenWeightT;
    private final Tensor bias;

    /** Output sequence [T, H, B] and the final hidden and cell states [H, B]. */
    public record Output(Tensor hiddenStates, Tensor h, Tensor c) {}

    public LstmLayer(int inputSize, int hidden, DataType type, Rng rng) {
        if (inputSize < 1 || hidden < 1) {
            throw new IllegalArgumentException("LSTM layer needs positive sizes, got " + inputSize + ", " + hidden);
        }
        // PyTorch's initialisation: U(−1/√H, 1/√H) for every weight and bias.
        this.inputWeightT = parameter("weight_ih_t", Tensor.parameter(Init.fanInUniform(rng, type, hidden, inputSize, 4L * hidden)));
        this.hiddenWeightT = parameter("weight_hh_t", Tensor.parameter(Init.fanInUniform(rng, type, hidden, hidden, 4L * hidden)));
        this.bias = parameter("bias", Tensor.parameter(Init.fanInUniform(rng, type, hidden, 4L * hidden)));
    }

    /** Runs a segment: inputs [T, in, B] feature-major, dropped out at {@code site} of the plan; state [H, B]. */
    public Output forward(Tensor inputs, DropoutPlan plan, int site, Tensor h0, Tensor c0) {
        Tensor projected = plan.project(site, inputs, inputWeightT, bias);
        Tensor[] out = new LstmRecurrence().apply(projected, hiddenWeightT, h0, c0);
        return new Output(out[0], out[1], out[2]);
    }

    @Override
    protected Tensor compute(Tensor input) {
        throw new UnsupportedOperationException("an LSTM layer runs through forward(inputs, plan, site, h0, c0)");
    }
}
