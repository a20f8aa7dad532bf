package org.leantrain.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.optim.Sgd;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class StepMemoryTest {
    private static double[] train(boolean recycled) {
        Rng rng = new Rng(8);
        Module net = new Sequential(new Linear(6, 16, true, DataType.DOUBLE, rng), Sequential.lambda(Tensor::tanh),
                new Linear(16, 3, true, DataType.DOUBLE, rng));
        return train(net, rng.normal(DataType.DOUBLE, 0, 1, 10, 6), recycled);
    }

    private static double[] train(Module net, INDArray x, boolean recycled) {
        Sgd sgd = new Sgd(net.parameters(), 0.1, 0.9);
        int[] y = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0};
        double[] losses = new double[20];
        for (int step = 0; step < losses.length; step++) {
            if (recycled) {
                try (StepMemory ignored = StepMemory.open()) {
                    losses[step] = step(net, sgd, x, y);
                }
            } else {
                losses[step] = step(net, sgd, x, y);
            }
        }
        return losses;
    }

    private static double step(Module net, Sgd sgd, INDArray x, int[] y) {
        sgd.zeroGrad();
        Tensor loss = Losses.crossEntropy(net.forward(Tensor.of(x)), y);
        double value = loss.item();
        loss.backward();
        sgd.step();
        return value;
    }

    @Test
    void trainingInsideRecycledMemoryIsIdenticalToPlainTraining() {
        double[] plain = train(false);
        double[] recycled = train(true);
        for (int i = 0; i < plain.length; i++) {
            assertEquals(plain[i], recycled[i], 0, "step " + i);
        }
        assertEquals(true, plain[plain.length - 1] < plain[0]);
    }

    /** Convolution keeps per-thread scratch arrays between steps; they must not live in the recycled workspace. */
    @Test
    void convolutionInsideRecycledMemoryIsIdenticalToPlainTraining() {
        double[][] losses = new double[2][];
        for (int run = 0; run < 2; run++) {
            Rng rng = new Rng(9);
            Module net = new Sequential(new org.leantrain.core.nn.Conv2d(2, 4, 3, 2, 1, DataType.DOUBLE, rng),
                    Sequential.lambda(Tensor::tanh), Sequential.lambda(t -> t.reshape(10, -1)),
                    new Linear(4 * 3 * 3, 3, true, DataType.DOUBLE, rng));
            losses[run] = train(net, rng.normal(DataType.DOUBLE, 0, 1, 10, 2, 6, 6), run == 1);
        }
        for (int i = 0; i < losses[0].length; i++) {
            assertEquals(losses[0][i], losses[1][i], 0, "step " + i);
        }
        try (StepMemory ignored = StepMemory.open()) {
            INDArray x = new Rng(1).normal(DataType.FLOAT, 0, 1, 3, 2, 7, 7);
            INDArray patches = new Im2Col(x.shape(), 3, 3, 1, 1, 7, 7).patches(x);
            assertEquals(false, patches.isAttached(), "the kept scratch array must not live in the step's workspace");
        }
    }

    @Test
    void scopesDoNotNest() {
        try (StepMemory ignored = StepMemory.open()) {
            assertThrows(IllegalStateException.class, StepMemory::open);
        }
        StepMemory.open().close(); // closed properly, so it opens again
    }

    @Test
    void gradientsOutliveTheScope() {
        Tensor w = Tensor.parameter(new Rng(1).normal(DataType.DOUBLE, 0, 1, 3));
        try (StepMemory ignored = StepMemory.open()) {
            w.square().sum().backward();
        }
        try (StepMemory ignored = StepMemory.open()) {
            Tensor.of(new Rng(2).normal(DataType.DOUBLE, 0, 1, 100)).exp().sum(); // overwrite the recycled block
        }
        assertEquals(0, w.grad().sub(w.value().mul(2)).amaxNumber().doubleValue(), 1e-15);
    }
}
