package org.leantrain.dropout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.leantrain.core.util.Rng;

/**
 * Token streams for character-level language modelling: train, validation and test parts over a fixed vocabulary.
 * Two sources: the fortune-cookie files (V = 97) and a synthetic order-k Markov chain whose entropy rate is known.
 */
public final class LmCorpus {
    /** Fortune vocabulary: '\n' → 0, bytes 32..126 → 1..95, tab → space, anything else → 96 (unknown). */
    public static final int FORTUNE_VOCAB = 97;
    public static final int UNKNOWN = 96;
    // The licence file shipped beside the cookies and the two picture files are not text to model.
    private static final List<String> EXCLUDED = List.of("art", "ascii-art", "COPYRIGHT", "README");

    private final int vocab;
    private final int[] train;
    private final int[] valid;
    private final int[] test;
    private final double entropyRateBits;
    private final int records;

    private LmCorpus(int vocab, int[] train, int[] valid, int[] test, double entropyRateBits, int records) {
        this.vocab = vocab;
        this.train = train;
        this.valid = valid;
        this.test = test;
        this.entropyRateBits = entropyRateBits;
        this.records = records;
    }

    /**
     * The cookie files of a {@code fortunes} directory (Debian's /usr/share/games/fortunes): every regular file that
     * is not {@code *.dat}, {@code *.u8}, {@code art}, {@code ascii-art}, {@code COPYRIGHT} or {@code README}, in
     * name order; records split on lines
     * "%", blank ones dropped, each followed by '\n'. Record i goes to validation when i mod 20 = 18, to test when
     * it is 19, else to training.
     */
    public static LmCorpus fortunes(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toAbsolutePath().toString(), null,
                    "fortune directory not found; get the files with `apt-get install fortunes` "
                            + "(/usr/share/games/fortunes) or point --data at a copy");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return !name.endsWith(".dat") && !name.endsWith(".u8") && !EXCLUDED.contains(name);
                    })
                    .sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new NoSuchFileException(dir.toAbsolutePath().toString(), null,
                    "no fortune cookie files in this directory");
        }
        IntBuilder[] parts = {new IntBuilder(), new IntBuilder(), new IntBuilder()};
        int index = 0;
        for (Path file : files) {
            for (String record : records(Files.readAllBytes(file))) {
                IntBuilder part = parts[index % 20 == 18 ? 1 : index % 20 == 19 ? 2 : 0];
                for (int i = 0; i < record.length(); i++) {
                    part.add(encode(record.charAt(i)));
                }
                part.add(0);
                index++;
            }
        }
        return new LmCorpus(FORTUNE_VOCAB, parts[0].toArray(), parts[1].toArray(), parts[2].toArray(), Double.NaN,
                index);
    }

    /** Records of one cookie file, each byte as one char (ISO-8859-1), without their trailing newline. */
    private static List<String> records(byte[] content) {
        List<String> records = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : new String(content, java.nio.charset.StandardCharsets.ISO_8859_1).split("\n", -1)) {
            if (line.equals("%")) {
                addRecord(records, current);
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        addRecord(records, current);
        return records;
    }

    private static void addRecord(List<String> records, StringBuilder text) {
        String record = text.toString();
        if (!record.isBlank()) {
            records.add(record.substring(0, record.length() - 1));
        }
    }

    static int encode(char c) {
        if (c == '\n') {
            return 0;
        }
        if (c == '\t') {
            c = ' ';
        }
        return c >= 32 && c <= 126 ? c - 31 : UNKNOWN;
    }

    /**
     * A stationary sample of an order-{@code order} Markov chain over {@code vocab} symbols whose V^order
     * transition rows are drawn from Dirichlet(alpha). Its entropy rate is computed exactly.
     */
    public static LmCorpus markovSynthetic(int vocab, int order, double alpha, long seed, int trainLength,
            int validLength) {
        if (vocab < 2 || order < 1 || !(alpha > 0) || trainLength < 2 || validLength < 2) {
            throw new IllegalArgumentException("Markov corpus needs vocab ≥ 2, order ≥ 1, alpha > 0 and lengths ≥ 2, got "
                    + vocab + ", " + order + ", " + alpha + ", " + trainLength + ", " + validLength);
        }
        Rng rng = new Rng(seed);
        int contexts = Math.toIntExact((long) Math.pow(vocab, order));
        double[][] rows = new double[contexts][];
        for (int ctx = 0; ctx < contexts; ctx++) {
            rows[ctx] = dirichlet(vocab, alpha, rng);
        }
        int[] stream = new int[1000 + trainLength + 2 * validLength];
        int ctx = 0;
        for (int i = 0; i < stream.length; i++) {
            stream[i] = draw(rows[ctx], rng);
            ctx = (ctx * vocab + stream[i]) % contexts;
        }
        int start = 1000; // burn-in: the sample starts near the stationary distribution
        return new LmCorpus(vocab, Arrays.copyOfRange(stream, start, start + trainLength),
                Arrays.copyOfRange(stream, start + trainLength, start + trainLength + validLength),
                Arrays.copyOfRange(stream, start + trainLength + validLength, stream.length),
                entropyRate(rows, vocab), 0);
    }

    /** Σ π(ctx)·H(row ctx) in bits, π the stationary distribution over contexts (power iteration). */
    static double entropyRate(double[][] rows, int vocab) {
        int contexts = rows.length;
        double[] pi = new double[contexts];
        Arrays.fill(pi, 1.0 / contexts);
        for (int iteration = 0; iteration < 10_000; iteration++) {
            double[] next = new double[contexts];
            for (int ctx = 0; ctx < contexts; ctx++) {
                for (int s = 0; s < vocab; s++) {
                    next[(ctx * vocab + s) % contexts] += pi[ctx] * rows[ctx][s];
                }
            }
            double change = 0;
            for (int ctx = 0; ctx < contexts; ctx++) {
                change += Math.abs(next[ctx] - pi[ctx]);
            }
            pi = next;
            if (change < 1e-14) {
                break;
            }
        }
        double bits = 0;
        for (int ctx = 0; ctx < contexts; ctx++) {
            for (double q : rows[ctx]) {
                if (q > 0) {
                    bits -= pi[ctx] * q * Math.log(q) / Math.log(2);
                }
            }
        }
        return bits;
    }

    private static double[] dirichlet(int size, double alpha, Rng rng) {
        double[] g = new double[size];
        double total = 0;
        for (int i = 0; i < size; i++) {
            g[i] = gamma(alpha, rng);
            total += g[i];
        }
        for (int i = 0; i < size; i++) {
            g[i] /= total;
        }
        return g;
    }

    /** Marsaglia–Tsang; for shape < 1, Gamma(a) = Gamma(a + 1)·U^(1/a). */
    private static double gamma(double shape, Rng rng) {
        if (shape < 1) {
            return gamma(shape + 1, rng) * Math.pow(rng.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = Math.pow(1 + c * x, 3);
            if (v > 0 && Math.log(rng.nextDouble()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    private static int draw(double[] probabilities, Rng rng) {
        double u = rng.nextDouble();
        for (int s = 0; s < probabilities.length - 1; s++) {
            u -= probabilities[s];
            if (u < 0) {
                return s;
            }
        }
        return probabilities.length - 1;
    }

    public int vocab() {
        return vocab;
    }

    public int[] train() {
        return train.clone();
    }

    public int[] valid() {
        return valid.clone();
    }

    public int[] test() {
        return test.clone();
    }

    /** Number of fortune records read (0 for a synthetic corpus). */
    public int records() {
        return records;
    }

    /** Exact entropy rate in bits per symbol of a synthetic corpus; NaN for real text. */
    public double entropyRateBits() {
        return entropyRateBits;
    }

    /** Unigram entropy of the training part, bits per symbol. */
    public double unigramEntropyBits() {
        long[] counts = new long[vocab];
        for (int id : train) {
            counts[id]++;
        }
        double bits = 0;
        for (long n : counts) {
            if (n > 0) {
                double q = (double) n / train.length;
                bits -= q * Math.log(q) / Math.log(2);
            }
        }
        return bits;
    }

    private static final class IntBuilder {
        private int[] data = new int[1 << 16];
        private int size;

        void add(int value) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = value;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
