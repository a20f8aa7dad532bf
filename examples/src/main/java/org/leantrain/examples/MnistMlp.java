package org.leantrain.examples;

import org.leantrain.core.data.BatchIterator;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.optim.Sgd;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Progress;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a 784-H-H-10 ReLU MLP on MNIST with SGD + momentum (learning rate decayed linearly to zero) and reports
 * test accuracy.
 */
public final class MnistMlp {

    /** Validated settings of one run. */
    public record Config(int epochs, int batchSize, int hidden, double learningRate, double momentum, long seed) {
        public Config {
            require(epochs >= 1, "epochs", epochs, "must be >= 1");
            require(batchSize >= 1, "batchSize", batchSize, "must be >= 1");
            require(hidden >= 1, "hidden", hidden, "must be >= 1");
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

    private MnistMlp() {}

    public static Module network(int hidden, Rng rng) {
        return new Sequential(
                new Linear(784, hidden, rng), Sequential.lambda(Tensor::relu),
                new Linear(hidden, hidden, rng), Sequential.lambda(Tensor::relu),
                new Linear(hidden, 10, rng));
    }

    public static Result train(Config config, Dataset train, Dataset test) {
        Rng rng = new Rng(config.seed());
        Module net = network(config.hidden(), rng.split());
        Sgd sgd = new Sgd(net.parameters(), config.learningRate(), config.momentum());
        long stepsPerEpoch = (train.size() + config.batchSize() - 1) / config.batchSize();
        long totalSteps = stepsPerEpoch * config.epochs();
        Progress progress = new Progress("mnist-mlp", totalSteps, Math.max(1, stepsPerEpoch / 5));
        CsvTable losses = new CsvTable("step", "epoch", "train_loss");
        CsvTable accuracy = new CsvTable("epoch", "test_accuracy");
        long step = 0;
        double trainSeconds = 0;
        double recentLoss = Double.NaN;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long start = System.nanoTime();
            BatchIterator batches = new BatchIterator(train, config.batchSize(), rng);
            double lossSum = 0;
            int lossCount = 0;
            while (batches.hasNext()) {
                Dataset batch = batches.next();
                net.train(true);
                // linear decay of the learning rate to zero over the run
                sgd.setLearningRate(config.learningRate() * (1.0 - (double) step / totalSteps));
                double value;
                try (StepMemory ignored = StepMemory.open()) {
                    Tensor loss = Losses.crossEntropy(net.forward(Tensor.of(batch.features())), batch.labels());
                    value = loss.item();
                    step++;
                    progress.step(step, value);
                    loss.backward();
                    sgd.step();
                    sgd.zeroGrad();
                }
                losses.add(step, epoch, value);
                lossSum += value;
                lossCount++;
            }
            trainSeconds += (System.nanoTime() - start) / 1e9;
            recentLoss = lossSum / lossCount;
            double acc = accuracy(net, test, 1000);
            accuracy.add(epoch, acc);
            org.slf4j.LoggerFactory.getLogger(MnistMlp.class).info(String.format(
                    "epoch %d: mean train loss %.4f, test accuracy %.4f", epoch, recentLoss, acc));
        }
        return new Result(accuracy.column("test_accuracy")[config.epochs() - 1], recentLoss, step, trainSeconds,
                losses, accuracy);
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
