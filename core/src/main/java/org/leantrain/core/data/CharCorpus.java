package org.leantrain.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.leantrain.core.util.Rng;

/**
 * A text as a sequence of character ids over its own alphabet (sorted), split into training and validation
 * parts; random windows for language modelling. Plain or gzip/dictzip files (detected from the content).
 */
public final class CharCorpus {
    private final char[] alphabet;
    private final Map<Character, Integer> index = new TreeMap<>();
    private final int[] train;
    private final int[] validation;

    public CharCorpus(String text, double validationFraction) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 1), got " + validationFraction);
        }
        if (text.length() < 100) {
            throw new IllegalArgumentException("the text has only " + text.length() + " characters; need at least 100");
        }
        text.chars().forEach(c -> index.putIfAbsent((char) c, 0));
        alphabet = new char[index.size()];
        int next = 0;
        for (Character c : index.keySet()) {
            alphabet[next] = c;
            index.put(c, next++);
        }
        int[] all = encode(text);
        int split = (int) Math.round(all.length * (1 - validationFraction));
        train = java.util.Arrays.copyOfRange(all, 0, split);
        validation = java.util.Arrays.copyOfRange(all, split, all.length);
    }

    /** Reads a text file (UTF-8; gzip or dictzip decompressed). */
    public static CharCorpus read(Path file, double validationFraction) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toAbsolutePath().toString(), null, "text file not found");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new CharCorpus(new String(in.readAllBytes(), StandardCharsets.UTF_8), validationFraction);
        }
    }

    public int vocabularySize() {
        return alphabet.length;
    }

    public int[] train() {
        return train.clone();
    }

    public int[] validation() {
        return validation.clone();
    }

    public int[] encode(String text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = index.get(text.charAt(i));
            if (id == null) {
                throw new IllegalArgumentException("character '" + text.charAt(i) + "' is not in the corpus alphabet");
            }
            ids[i] = id;
        }
        return ids;
    }

    public String decode(int[] ids) {
        StringBuilder s = new StringBuilder(ids.length);
        for (int id : ids) {
            s.append(alphabet[id]);
        }
        return s.toString();
    }

    /** Entropy (nats) of the training part's character frequencies: the loss of the best context-free model. */
    public double unigramEntropy() {
        double[] counts = new double[alphabet.length];
        for (int id : train) {
            counts[id]++;
        }
        double h = 0;
        for (double c : counts) {
            if (c > 0) {
                double p = c / train.length;
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    /** {@code batch} random windows of length+1 ids from {@code ids}: inputs are [0, length), targets [1, length]. */
    public static int[][][] windows(int[] ids, int batch, int length, Rng rng) {
        if (ids.length < length + 1) {
            throw new IllegalArgumentException("text part of " + ids.length + " characters is shorter than a window of "
                    + (length + 1));
        }
        int[][] inputs = new int[batch][length];
        int[][] targets = new int[batch][length];
        for (int b = 0; b < batch; b++) {
            int start = rng.nextInt(ids.length - length);
            System.arraycopy(ids, start, inputs[b], 0, length);
            System.arraycopy(ids, start + 1, targets[b], 0, length);
        }
        return new int[][][] {inputs, targets};
    }
}
