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
     * Interleaved comparison: rounds of each body in turn, each round timing {@code inner} calls, so that machine
     * noise hits them alike (after {@code inner} warm-up calls each). Returns the median ms per call of each body.
     */
    static double[] interleaved(int rounds, int inner, Runnable... bodies) {
        for (int i = 0; i < inner; i++) {
            for (Runnable body : bodies) {
                body.run();
            }
        }
        double[][] ms = new double[bodies.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int b = 0; b < bodies.length; b++) {
                ms[b][r] = timeInner(inner, bodies[b]);
            }
        }
        double[] median = new double[bodies.length];
        for (int b = 0; b < bodies.length; b++) {
            Arrays.sort(ms[b]);
            median[b] = ms[b][rounds / 2];
        }
        return median;
    }

    private static double timeInner(int inner, Runnable body) {
        long t0 = System.nanoTime();
        for (int i = 0; i < inner; i++) {
            body.run();
        }
        return (System.nanoTime() - t0) / 1e6 / inner;
    }
}
