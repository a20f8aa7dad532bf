package org.leantrain.bench;

import java.util.Arrays;

/** Wall-clock timing helpers: warm-up, then the median of repeated measurements. */
final class Timing {
    private Timing() {}

    /** Median milliseconds per call of {@code body} over {@code reps} calls after {@code warmup} calls. */
    static double medianMillis(int warmup, int reps, Runnable body) {
        for (int i = 0; i < warmup; i++) {
            body.run();
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return reps % 2 == 1 ? ms[reps / 2] : (ms[reps / 2 - 1] + ms[reps / 2]) / 2;
    }

    /**
     * Interleaved comparison: rounds of {@code a} then {@code b}, each round timing {@code inner} calls, so that
     * machine noise hits both alike. Returns the median ms per call of each.
     */
    static double[] interleaved(int rounds, int inner, Runnable a, Runnable b) {
        for (int i = 0; i < inner; i++) {
            a.run();
            b.run();
        }
        double[] ta = new double[rounds];
        double[] tb = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ta[r] = timeInner(inner, a);
            tb[r] = timeInner(inner, b);
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        return new double[] {ta[rounds / 2], tb[rounds / 2]};
    }

    private static double timeInner(int inner, Runnable body) {
        long t0 = System.nanoTime();
        for (int i = 0; i < inner; i++) {
            body.run();
        }
        return (System.nanoTime() - t0) / 1e6 / inner;
    }
}
