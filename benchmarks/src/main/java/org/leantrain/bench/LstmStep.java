package org.leantrain.bench;

import org.leantrain.core.nn.Lstm;
import org.leantrain.core.optim.Sgd;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** One LSTM training step: input 256, hidden 256, batch 64, 35 steps, loss mean(h²), SGD (as lstm_step.py). */
final class LstmStep implements Runnable {
    private final Lstm lstm;
    private final Sgd sgd;
    private final Tensor x;

    LstmStep() {
        Rng rng = new Rng(0);
        lstm = new Lstm(256, 256, DataType.FLOAT, rng);
        sgd = new Sgd(lstm.parameters(), 0.01, 0);
        x = Tensor.of(rng.normal(DataType.FLOAT, 0, 1, 64, 35, 256));
    }

    @Override
    public void run() {
        try (StepMemory ignored = StepMemory.open()) {
            sgd.zeroGrad();
            lstm.forward(x).square().mean().backward();
            sgd.step();
        }
    }
}
