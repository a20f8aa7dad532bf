package org.leantrain.bench;

import org.leantrain.core.nn.Module;
import org.leantrain.core.optim.Sgd;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.leantrain.examples.MnistClassifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One training step (forward, backward, SGD) of the 784-512-512-10 MLP on fixed random data. */
final class MlpStep implements Runnable {
    private final Module net;
    private final Sgd sgd;
    private final Tensor x;
    private final int[] labels;

    MlpStep(int batch) {
        Rng rng = new Rng(0);
        net = MnistClassifier.mlp(512, rng);
        sgd = new Sgd(net.parameters(), 0.01, 0);
        INDArray data = rng.uniform(DataType.FLOAT, 0, 1, batch, 784);
        x = Tensor.of(data);
        labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(10);
        }
    }

    /** The recommended loop: the step inside {@link StepMemory}, so its buffers are recycled. */
    @Override
    public void run() {
        try (StepMemory ignored = StepMemory.open()) {
            plain();
        }
    }

    /** The same step with every array freshly allocated (freed when the garbage collector finds it). */
    void plain() {
        sgd.zeroGrad();
        Losses.crossEntropy(net.forward(x), labels).backward();
        sgd.step();
    }
}
