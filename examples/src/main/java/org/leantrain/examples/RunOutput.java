package org.leantrain.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** The results folder of one run: {@code --out DIR}, or a fresh {@code runs/NAME-TIMESTAMP}. */
public final class RunOutput {
    private RunOutput() {}

    public static Path resolve(Path requested, String name) throws IOException {
        Path dir = requested != null ? requested
                : Path.of("runs", name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("--out " + dir + " exists and is not a directory");
        }
        Files.createDirectories(dir);
        return dir;
    }
}
