package org.leantrain.examples;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code leantrain mnist-mlp}: the core stack end to end on MNIST. */
@Command(name = "mnist-mlp", mixinStandardHelpOptions = true,
        description = "Train a 784-H-H-10 ReLU MLP on MNIST with SGD+momentum; report test accuracy.")
public final class MnistMlpCommand implements Callable<Integer> {
    @Mixin
    MnistOptions options;

    @Option(names = "--hidden", defaultValue = "512", description = "hidden width (default: ${DEFAULT-VALUE})")
    int hidden;

    @Override
    public Integer call() throws Exception {
        if (hidden < 1) {
            throw new IllegalArgumentException("--hidden must be >= 1, got " + hidden);
        }
        return options.run("mnist-mlp", rng -> MnistClassifier.mlp(hidden, rng));
    }
}
