package org.leantrain.core.util;

import java.util.ArrayList;
import java.util.List;

/** Summary statistics the experiment reports share. */
public final class Stats {
    private Stats() {}

    /**
     * Median (mean of the middle two for an even count). ±∞ entries take part; NaN entries ("never reached") sort
     * after +∞, so a majority of NaN gives NaN.
     */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("median of no values");
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : 0.5 * (sorted.get(n / 2 - 1) + sorted.get(n / 2));
    }

    /** Mean of v[from, to), the range clamped to the array; NaN when it is empty. */
    public static double mean(double[] v, int from, int to) {
        int a = Math.max(0, from);
        int b = Math.min(v.length, to);
        double s = 0;
        for (int i = a; i < b; i++) {
            s += v[i];
        }
        return b > a ? s / (b - a) : Double.NaN;
    }

    public static double mean(double[] v) {
        return mean(v, 0, v.length);
    }

    /** Mean of the first n values (all of them when there are fewer). */
    public static double meanOfFirst(double[] v, int n) {
        return mean(v, 0, n);
    }

    /** Mean of the last n values (all of them when there are fewer). */
    public static double meanOfLast(double[] v, int n) {
        return mean(v, v.length - n, v.length);
    }
}
