package org.leantrain.ebm.mnist;

import org.leantrain.core.data.BatchIterator;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Dropout;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The mode-weight meter of E3: an MLP 784→128→C with dropout (off in eval mode, unlike the official notebook's
 * classifier), trained on class-balanced images in [−1, 1].
 */
public final class DigitClassifier {
    private final Module net;
    private final int classes;

    private DigitClassifier(Module net, int classes) {
        this.net = net;
        this.classes = classes;
    }

    /** Trains on {@code train} balanced by subsampling every class to the smallest count. */
    public static DigitClassifier train(Dataset train, int classes, int epochs, Rng rng) {
        Dataset balanced = balance(train, classes, rng);
        Module net = new Sequential(new Linear(784, 128, rng), Sequential.lambda(Tensor::relu),
                new Dropout(0.2, rng.split()), new Linear(128, classes, rng));
        Adam adam = Adam.adam(net.parameters(), 1e-3);
        for (int epoch = 0; epoch < epochs; epoch++) {
            BatchIterator batches = new BatchIterator(balanced, 128, rng);
            while (batches.hasNext()) {
                Dataset b = batches.next();
                adam.zeroGrad();
                Losses.crossEntropy(net.forward(Tensor.of(b.features())), b.labels()).backward();
                adam.step();
            }
        }
        net.eval();
        return new DigitClassifier(net, classes);
    }

    private static Dataset balance(Dataset data, int classes, Rng rng) {
        int[] counts = new int[classes];
        for (int y : data.labels()) {
            counts[y]++;
        }
        int min = java.util.Arrays.stream(counts).min().orElse(0);
        int[] taken = new int[classes];
        java.util.List<Integer> idx = new java.util.ArrayList<>();
        for (int i : rng.permutation(data.size())) {
            int y = data.label(i);
            if (taken[y] < min) {
                taken[y]++;
                idx.add(i);
            }
        }
        return data.select(idx.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Class probabilities [n][C]. */
    public double[][] probabilities(INDArray x) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return net.forward(Tensor.of(x)).softmax(1).value().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                    .toDoubleMatrix();
        }
    }

    public double accuracy(Dataset test) {
        double[][] p = probabilities(test.features());
        int correct = 0;
        for (int i = 0; i < p.length; i++) {
            if (argmax(p[i]) == test.label(i)) {
                correct++;
            }
        }
        return (double) correct / p.length;
    }

    public int classes() {
        return classes;
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
