package org.leantrain.examples;

import java.nio.file.Path;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.data.Mnist;
import org.leantrain.core.nn.Module;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Rng;
import org.leantrain.core.util.Threads;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options and the run shared by the MNIST subcommands. */
public final class MnistOptions {
    @Option(names = "--data", description = "directory with the four MNIST IDX files, plain or .gz"
            + " (default: ${DEFAULT-VALUE})", defaultValue = "../shared/data/mnist")
    Path data;

    @Mixin
    RunOptions run;

    @Option(names = "--epochs", defaultValue = "3", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "batch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.1",
            description = "initial learning rate, decayed linearly to 0 (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--momentum", defaultValue = "0.9", description = "momentum (default: ${DEFAULT-VALUE})")
    double momentum;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--train-limit", defaultValue = "0",
            description = "use only the first N training images, 0 = all (default: ${DEFAULT-VALUE})")
    int trainLimit;

    /** Network from a seeded RNG. */
    @FunctionalInterface
    interface NetworkFactory {
        Module build(Rng rng);
    }

    int run(String name, NetworkFactory factory) throws Exception {
        MnistClassifier.Config config = new MnistClassifier.Config(epochs, batchSize, learningRate, momentum, seed);
        if (trainLimit < 0) {
            throw new IllegalArgumentException("--train-limit must be >= 0, got " + trainLimit);
        }
        Mnist mnist = Mnist.load(data); // before the results folder, so a bad --data leaves nothing behind
        Path dir = run.start(name);
        Dataset train = trainLimit > 0 ? mnist.train().head(Math.min(trainLimit, mnist.train().size())) : mnist.train();
        Module net = factory.build(new Rng(seed).split());
        System.out.printf("%s: %d training / %d test images, %d parameters, %s, %d ND4J threads, results in %s%n",
                name, train.size(), mnist.test().size(), net.parameterCount(), config, Threads.nd4jThreads(), dir);

        MnistClassifier.Result result = MnistClassifier.train(name, net, config, train, mnist.test());

        result.lossCurve().write(dir.resolve("loss.csv"));
        result.accuracyCurve().write(dir.resolve("accuracy.csv"));
        Plots.line(dir.resolve("loss.png"), "MNIST " + name + " training loss", "step", "train loss",
                result.lossCurve().column("step"), result.lossCurve().column("train_loss"));
        new Metrics()
                .put("test_accuracy", result.testAccuracy())
                .put("final_train_loss", result.finalTrainLoss())
                .put("steps", result.steps())
                .put("train_seconds", result.trainSeconds())
                .put("steps_per_second", result.stepsPerSecond())
                .write(dir);
        System.out.printf("%s: test accuracy %.4f after %d epochs (%d steps, %.1f steps/s, %.1f s)%n", name,
                result.testAccuracy(), epochs, result.steps(), result.stepsPerSecond(), result.trainSeconds());
        System.out.println(name + ": wrote metrics.json, loss.csv, accuracy.csv, loss.png to " + dir);
        return 0;
    }
}
