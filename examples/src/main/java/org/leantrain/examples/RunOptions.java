package org.leantrain.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.leantrain.core.util.Threads;
import picocli.CommandLine.Option;

/** The options every example and benchmark subcommand takes: the results folder and the ND4J thread count. */
public final class RunOptions {
    @Option(names = "--out", description = "results directory (default: runs/NAME-TIMESTAMP)")
    Path out;

    @Option(names = "--threads", description = "ND4J threads, OpenMP and BLAS (default: all cores; 2 in benchmarks)")
    Integer threads;

    /** --threads, or {@code fallback} when not given. */
    public int threads(int fallback) {
        return threads != null ? threads : fallback;
    }

    /** Applies --threads, then creates and returns the results directory: --out, or a fresh runs/NAME-TIMESTAMP. */
    public Path start(String name) throws IOException {
        if (threads != null) {
            Threads.setNd4jThreads(threads);
        }
        Path dir = out != null ? out
                : Path.of("runs", name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("--out " + dir + " exists and is not a directory");
        }
        Files.createDirectories(dir);
        return dir;
    }
}
