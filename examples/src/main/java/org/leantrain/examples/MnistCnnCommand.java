package org.leantrain.examples;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code leantrain mnist-cnn}: convolution and pooling end to end on MNIST. */
@Command(name = "mnist-cnn", mixinStandardHelpOptions = true,
        description = "Train a small CNN (two conv3x3+maxpool blocks, two linear layers) on MNIST; report test accuracy.")
public final class MnistCnnCommand implements Callable<Integer> {
    @Mixin
    MnistOptions options;

    @Option(names = "--channels", defaultValue = "16",
            description = "channels of the first conv layer, doubled in the second (default: ${DEFAULT-VALUE})")
    int channels;

    @Override
    public Integer call() throws Exception {
        if (channels < 1) {
            throw new IllegalArgumentException("--channels must be >= 1, got " + channels);
        }
        return options.run("mnist-cnn", rng -> MnistClassifier.cnn(channels, rng));
    }
}
