package org.leantrain.layerselect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.data.Mnist;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The data of one adaptation task of spec §7, pixels normalised as (x − 0.1307)/0.3081: a source set to pretrain
 * on, the full target training split (the adaptation set is a seeded subset of it) and the target test split.
 */
public record AdaptationTask(String name, int classes, Dataset source, Dataset targetTrain, Dataset targetTest) {
    /** Default location of the Debian package dataset-fashion-mnist. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** Task A: pretrain on the first n source images of digits 0–4, adapt to digits 5–9 relabelled y − 5. */
    public static AdaptationTask digits(Path mnistDir, int sourceSize) throws IOException {
        Mnist mnist = Mnist.load(mnistDir);
        Dataset source = mnist.train().filterClasses(0, 1, 2, 3, 4);
        return new AdaptationTask("digits", 5, normalise(source.head(Math.min(sourceSize, source.size()))),
                normalise(shift(mnist.train().filterClasses(5, 6, 7, 8, 9))),
                normalise(shift(mnist.test().filterClasses(5, 6, 7, 8, 9))));
    }

    /** Task B: pretrain on the first n MNIST training images (10 classes), adapt to Fashion-MNIST (head reused). */
    public static AdaptationTask fashion(Path mnistDir, Path fashionDir, int sourceSize) throws IOException {
        if (!Files.isDirectory(fashionDir)) {
            throw new java.nio.file.NoSuchFileException(fashionDir.toString(), null, "Fashion-MNIST not found; install "
                    + "the Debian package dataset-fashion-mnist (it puts the four IDX.gz files in "
                    + DEBIAN_FASHION_MNIST + ") or pass a directory holding them");
        }
        Mnist mnist = Mnist.load(mnistDir);
        Mnist fashion = Mnist.load(fashionDir);
        return new AdaptationTask("fashion", 10, normalise(mnist.train().head(Math.min(sourceSize, mnist.train().size()))),
                normalise(fashion.train()), normalise(fashion.test()));
    }

    /** A seeded subset of n target training images: the adaptation set. */
    public Dataset adaptationSet(int n, Rng rng) {
        if (n < 1 || n > targetTrain.size()) {
            throw new IllegalArgumentException("adaptation set size must be in [1, " + targetTrain.size() + "], got " + n);
        }
        return targetTrain.select(java.util.Arrays.copyOf(rng.permutation(targetTrain.size()), n));
    }

    private static Dataset shift(Dataset d) {
        int[] labels = d.labels().clone();
        for (int i = 0; i < labels.length; i++) {
            labels[i] -= 5;
        }
        return new Dataset(d.features(), labels);
    }

    private static Dataset normalise(Dataset d) {
        INDArray x = d.features().dup().subi(0.1307).divi(0.3081);
        return new Dataset(x, d.labels());
    }
}
