package org.leantrain.ode;

import java.util.Arrays;
import java.util.BitSet;

/** A time grid t_0 < t_1 < … < t_n; interval i is [t_i, t_{i+1}]. */
public record Mesh(double[] grid) {
    public Mesh {
        if (grid == null || grid.length < 2) {
            throw new IllegalArgumentException("a mesh needs at least two grid points, got "
                    + (grid == null ? "null" : grid.length));
        }
        for (int i = 0; i < grid.length; i++) {
            if (!Double.isFinite(grid[i])) {
                throw new IllegalArgumentException("mesh point " + i + " is " + grid[i] + "; give finite times");
            }
            if (i > 0 && !(grid[i] > grid[i - 1])) {
                throw new IllegalArgumentException("mesh times must increase strictly, but t[" + (i - 1) + "] = "
                        + grid[i - 1] + " and t[" + i + "] = " + grid[i]);
            }
        }
        grid = grid.clone();
    }

    public static Mesh uniform(double t0, double tf, int n) {
        if (n < 1 || !(tf > t0)) {
            throw new IllegalArgumentException("a uniform mesh needs n ≥ 1 and tf > t0, got n=" + n + " on ["
                    + t0 + ", " + tf + "]");
        }
        double[] g = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            g[i] = i == n ? tf : t0 + (tf - t0) * i / n;
        }
        return new Mesh(g);
    }

    public int intervals() {
        return grid.length - 1;
    }

    public double t(int i) {
        return grid[i];
    }

    public double h(int i) {
        return grid[i + 1] - grid[i];
    }

    public double start() {
        return grid[0];
    }

    public double end() {
        return grid[grid.length - 1];
    }

    public double smallestStep() {
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < intervals(); i++) {
            min = Math.min(min, h(i));
        }
        return min;
    }

    /** The interval holding t: t_i ≤ t < t_{i+1}, and the last interval for t = t_n. */
    public int locate(double t) {
        if (t < start() || t > end()) {
            throw new IllegalArgumentException("time " + t + " lies outside the mesh [" + start() + ", " + end() + "]");
        }
        int i = Arrays.binarySearch(grid, t);
        if (i < 0) {
            i = -i - 2;
        }
        return Math.min(i, intervals() - 1);
    }

    /** Splits every marked interval at its midpoint. */
    public Mesh bisect(BitSet marked) {
        double[] g = new double[grid.length + marked.cardinality()];
        int k = 0;
        for (int i = 0; i < intervals(); i++) {
            g[k++] = grid[i];
            if (marked.get(i)) {
                g[k++] = grid[i] + h(i) / 2;
            }
        }
        g[k] = end();
        return new Mesh(g);
    }

    /** A uniform mesh of step at most h whose points include every given time (sorted, inside [t0, tf]). */
    public static Mesh covering(double[] times, double t0, double tf, double h) {
        java.util.List<Double> points = new java.util.ArrayList<>();
        double[] marks = new double[times.length + 2];
        marks[0] = t0;
        System.arraycopy(times, 0, marks, 1, times.length);
        marks[marks.length - 1] = tf;
        Arrays.sort(marks);
        points.add(marks[0]);
        for (int i = 1; i < marks.length; i++) {
            double gap = marks[i] - marks[i - 1];
            if (gap <= 0) {
                continue;
            }
            int pieces = Math.max(1, (int) Math.ceil(gap / h - 1e-9));
            for (int p = 1; p <= pieces; p++) {
                points.add(p == pieces ? marks[i] : marks[i - 1] + gap * p / pieces);
            }
        }
        return new Mesh(points.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
