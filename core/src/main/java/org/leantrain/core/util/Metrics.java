package org.leantrain.core.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The results contract of every example and benchmark: a flat JSON object of named numbers, written as
 * {@code metrics.json}. A value that could not be measured is recorded as missing and written as null.
 */
public final class Metrics {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");
    private final Map<String, Double> values = new LinkedHashMap<>();

    /** Records a finite number under a snake_case name. */
    public Metrics put(String name, double value) {
        checkName(name);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("metric '" + name + "' is " + value + "; record it with missing() if"
                    + " it could not be measured");
        }
        values.put(name, value);
        return this;
    }

    /** Records that a metric could not be measured (written as null). */
    public Metrics missing(String name) {
        checkName(name);
        values.put(name, null);
        return this;
    }

    public Map<String, Double> asMap() {
        return Collections.unmodifiableMap(values);
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric names are snake_case [a-z0-9_]+, got '" + name + "'");
        }
    }

    public String toJson() {
        StringBuilder json = new StringBuilder("{");
        String sep = "\n  ";
        for (Map.Entry<String, Double> e : values.entrySet()) {
            json.append(sep).append('"').append(e.getKey()).append("\": ").append(format(e.getValue()));
            sep = ",\n  ";
        }
        return json.append(values.isEmpty() ? "}" : "\n}").append('\n').toString();
    }

    private static String format(Double v) {
        if (v == null) {
            return "null";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString(v.longValue());
        }
        return Double.toString(v);
    }

    /** Writes {@code metrics.json} into dir (created if needed) and returns its path. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("metrics.json");
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        return file;
    }
}
