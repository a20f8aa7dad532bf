package org.leantrain.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX format of MNIST (unsigned bytes only), plain or gzip-compressed (detected from the content).
 * The magic number is 0x0000 08 NN: type 0x08 (unsigned byte) and NN dimensions, followed by NN big-endian sizes.
 */
public final class Idx {
    private static final int UNSIGNED_BYTE = 0x08;

    private final int[] dims;
    private final byte[] data;

    private Idx(int[] dims, byte[] data) {
        this.dims = dims;
        this.data = data;
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Element i as 0..255. */
    public int unsigned(int i) {
        return data[i] & 0xFF;
    }

    public int length() {
        return data.length;
    }

    public static Idx read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw)) {
                return parse(in, file);
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "IDX file not found");
        } catch (EOFException e) {
            throw new IOException(file + " is truncated: the IDX header promises more bytes than the file holds", e);
        }
    }

    private static Idx parse(DataInputStream in, Path file) throws IOException {
        int magic = in.readInt();
        int type = (magic >>> 8) & 0xFF;
        int rank = magic & 0xFF;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank < 1 || rank > 4) {
            throw new IOException(file + " is not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic)
                    + ", expected 0x801..0x804)");
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 0) {
                throw new IOException(file + ": negative dimension in IDX header " + Arrays.toString(dims));
            }
            total *= dims[i];
        }
        if (total > Integer.MAX_VALUE) {
            throw new IOException(file + ": IDX array of " + total + " elements is too large");
        }
        byte[] data = new byte[(int) total];
        in.readFully(data);
        if (in.read() != -1) {
            throw new IOException(file + " has bytes after the " + total + " elements its header declares "
                    + Arrays.toString(dims));
        }
        return new Idx(dims, data);
    }
}
