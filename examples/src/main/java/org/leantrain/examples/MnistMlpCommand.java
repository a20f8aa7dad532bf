package org.leantrain.examples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.data.Mnist;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Threads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code leantrain mnist-mlp}: the core stack end to end on MNIST. */
@Command(name = "mnist-mlp", mixinStandardHelpOptions = true,
        description = "Train a 784-H-H-10 ReLU MLP on MNIST with SGD+momentum; report test accuracy.")
public final class MnistMlpCommand implements Callable<Integer> {
    @Option(names = "--data", description = "directory with the four MNIST IDX files, plain or .gz"
            + " (default: ${DEFAULT-VALUE})", defaultValue = "../shared/data/mnist")
    Path data;

    @Option(names = "--out", description = "results directory (default: runs/mnist-mlp-TIMESTAMP)")
    Path out;

    @Option(names = "--epochs", defaultValue = "3", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "batch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--hidden", defaultValue = "512", description = "hidden width (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--lr", defaultValue = "0.1", description = "initial learning rate, decayed linearly to 0 (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--momentum", defaultValue = "0.9", description = "momentum (default: ${DEFAULT-VALUE})")
    double momentum;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--train-limit", defaultValue = "0",
            description = "use only the first N training images, 0 = all (default: ${DEFAULT-VALUE})")
    int trainLimit;

    @Option(names = "--threads", description = "ND4J threads (default: all cores)")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        MnistMlp.Config config = new MnistMlp.Config(epochs, batchSize, hidden, learningRate, momentum, seed);
        if (trainLimit < 0) {
            throw new IllegalArgumentException("--train-limit must be >= 0, got " + trainLimit);
        }
        if (threads != null) {
            Threads.setNd4jThreads(threads);
        }
        Path dir = RunOutput.resolve(out, "mnist-mlp");
        Mnist mnist = Mnist.load(data);
        Dataset train = trainLimit > 0 ? mnist.train().head(Math.min(trainLimit, mnist.train().size())) : mnist.train();
        System.out.printf("mnist-mlp: %d training / %d test images, %s, %d ND4J threads, results in %s%n",
                train.size(), mnist.test().size(), config, Threads.nd4jThreads(), dir);

        MnistMlp.Result result = MnistMlp.train(config, train, mnist.test());

        result.lossCurve().write(dir.resolve("loss.csv"));
        result.accuracyCurve().write(dir.resolve("accuracy.csv"));
        Plots.line(dir.resolve("loss.png"), "MNIST MLP training loss", "step", "train loss",
                result.lossCurve().column("step"), result.lossCurve().column("train_loss"));
        new Metrics()
                .put("test_accuracy", result.testAccuracy())
                .put("final_train_loss", result.finalTrainLoss())
                .put("steps", result.steps())
                .put("train_seconds", result.trainSeconds())
                .put("steps_per_second", result.stepsPerSecond())
                .write(dir);
        System.out.printf("mnist-mlp: test accuracy %.4f after %d epochs (%d steps, %.1f steps/s, %.1f s)%n",
                result.testAccuracy(), epochs, result.steps(), result.stepsPerSecond(), result.trainSeconds());
        System.out.println("mnist-mlp: wrote metrics.json, loss.csv, accuracy.csv, loss.png to " + dir);
        return 0;
    }
}
