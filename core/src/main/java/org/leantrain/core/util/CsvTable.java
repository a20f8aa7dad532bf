package org.leantrain.core.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A numeric table with named columns, written as CSV (curves of examples and benchmarks). */
public final class CsvTable {
    private final List<String> columns;
    private final List<double[]> rows = new ArrayList<>();

    public CsvTable(String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("a CSV table needs at least one column");
        }
        this.columns = List.of(columns);
    }

    public CsvTable add(double... row) {
        if (row.length != columns.size()) {
            throw new IllegalArgumentException("row has " + row.length + " values for columns " + columns);
        }
        rows.add(row.clone());
        return this;
    }

    public int size() {
        return rows.size();
    }

    public List<String> columns() {
        return columns;
    }

    /** The values of one column, in row order. */
    public double[] column(String name) {
        int c = columns.indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException("no column '" + name + "' in " + columns);
        }
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }

    public void write(Path file) throws IOException {
        StringBuilder out = new StringBuilder(String.join(",", columns)).append('\n');
        for (double[] r : rows) {
            out.append(String.join(",", Arrays.stream(r).mapToObj(CsvTable::format).toArray(String[]::new)))
                    .append('\n');
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
