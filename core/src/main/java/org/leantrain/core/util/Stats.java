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
}
