package org.leantrain.examples;

import org.leantrain.core.data.BatchIterator;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.nn.Conv2d;
import org.leantrain.core.optim.LrSchedule;
import org.leantrain.core.optim.Sgd;
import org.leantrain.core.tensor.Conv;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.train.Trainer;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an MNIST classifier with SGD + momentum, the learning rate decayed linearly to zero, and reports test
 * accuracy after each epoch. The networks: a 784-H-H-10 ReLU MLP and a small CNN.
 */
public final class MnistClassifier {
    private static final Logger LOG = LoggerFactory.getLogger(MnistClassifier.class);

    /** Validated settings of one run. */
    public record Config(int epochs, int batchSize, double learningRate, double momentum, long seed) {
        public Config {
            require(epochs >= 1, "epochs", epochs, "must be >= 1");
            require(batchSize >= 1, "batchSize", batchSize, "must be >= 1");
            require(learningRate > 0 && Double.isFinite(learningRate), "learningRate", learningRate,
                    "must be a positive finite number");
            require(momentum >= 0 && momentum < 1, "momentum", momentum, "must be in [0, 1)");
        }

        private static void require(boolean ok, String field, Object value, String rule) {
            if (!ok) {
                throw new IllegalArgumentException(field + " " + rule + ", got " + value);
            }
        }
    }

    /** What a run measured. */
    public record Result(double testAccuracy, double finalTrainLoss, long steps, double trainSeconds,
                         CsvTable lossCurve, CsvTable accuracyCurve) {
        public double stepsPerSecond() {
            return steps / trainSeconds;
        }
    }

    private MnistClassifier() {}

    public static Module mlp(int hidden, Rng rng) {
        return new Sequential(
                new Linear(784, hidden, rng), Sequential.lambda(Tensor::relu),
                new Linear(hidden, hidden, rng), Sequential.lambda(Tensor::relu),
                new Linear(hidden, 10, rng));
    }

    /** conv3×3(1→c) ReLU maxpool2, conv3×3(c→2c) ReLU maxpool2, linear(2c·7·7→128) ReLU, linear(128→10). */
    public static Module cnn(int channels, Rng rng) {
        return new Sequential(
                Sequential.lambda(x -> x.reshape(x.size(0), 1, 28, 28)),
                new Conv2d(1, channels, 3, 1, 1, rng), Sequential.lambda(Tensor::relu),
                Sequential.lambda(x -> Conv.maxPool2d(x, 2, 2, 0)),
                new Conv2d(channels, 2 * channels, 3, 1, 1, rng), Sequential.lambda(Tensor::relu),
                Sequential.lambda(x -> Conv.maxPool2d(x, 2, 2, 0)),
                Sequential.lambda(x -> x.reshape(x.size(0), -1)),
                new Linear(2L * channels * 7 * 7, 128, rng), Sequential.lambda(Tensor::relu),
                new Linear(128, 10, rng));
    }

    public static Result train(String task, Module net, Config config, Dataset train, Dataset test) {
        Rng rng = new Rng(config.seed());
        long stepsPerEpoch = (train.size() + config.batchSize() - 1) / config.batchSize();
        long totalSteps = stepsPerEpoch * config.epochs();
        Trainer trainer = new Trainer(task, new Sgd(net.parameters(), config.learningRate(), config.momentum()),
                totalSteps, Math.max(1, stepsPerEpoch / 5))
                .schedule(LrSchedule.linearDecay(config.learningRate(), totalSteps));
        CsvTable losses = new CsvTable("step", "epoch", "train_loss");
        CsvTable accuracy = new CsvTable("epoch", "test_accuracy");
        double trainSeconds = 0;
        double epochLoss = Double.NaN;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long start = System.nanoTime();
            BatchIterator batches = new BatchIterator(train, config.batchSize(), rng);
            double lossSum = 0;
            int count = 0;
            net.train(true);
            while (batches.hasNext()) {
                Dataset batch = batches.next();
                double loss = trainer.step(() -> Losses.crossEntropy(net.forward(Tensor.of(batch.features())),
                        batch.labels()));
                losses.add(trainer.steps(), epoch, loss);
                lossSum += loss;
                count++;
            }
            trainSeconds += (System.nanoTime() - start) / 1e9;
            epochLoss = lossSum / count;
            double acc = accuracy(net, test, 1000);
            accuracy.add(epoch, acc);
            LOG.info(String.format("%s epoch %d: mean train loss %.4f, test accuracy %.4f", task, epoch, epochLoss, acc));
        }
        return new Result(accuracy.column("test_accuracy")[config.epochs() - 1], epochLoss, trainer.steps(),
                trainSeconds, losses, accuracy);
    }

    /** Fraction of examples whose arg-max logit is the label, evaluated without recording. */
    public static double accuracy(Module net, Dataset data, int batchSize) {
        net.eval();
        int correct = 0;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            BatchIterator batches = new BatchIterator(data, batchSize, null);
            while (batches.hasNext()) {
                Dataset batch = batches.next();
                INDArray predicted = net.forward(Tensor.of(batch.features())).value().argMax(1);
                for (int i = 0; i < batch.size(); i++) {
                    if (predicted.getInt(i) == batch.label(i)) {
                        correct++;
                    }
                }
            }
        }
        return correct / (double) data.size();
    }
}
