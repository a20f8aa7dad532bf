package org.leantrain.dropout;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The elementwise part of one LSTM step, fused into one Java loop over the H·B cells (feature-major gate blocks
 * i, f, g, o of length H·B each). In ND4J's generic CPU build every elementwise op costs a fixed ~50 µs plus
 * ~4 ns per element, and a step needs about 15 forward and 25 backward ops; the fused loop does the same math
 * in one pass, split over two threads for large layers.
 */
final class LstmCellKernel {
    private static final int PARALLEL_THRESHOLD = 8_192;

    private LstmCellKernel() {}

    /**
     * gates: pre-activations in, activated gates out (σ, σ, tanh, σ); c = f⊙cPrev + i⊙g; h = o⊙tanh(c).
     */
    static void forward(double[] gates, double[] cPrev, double[] c, double[] h, int n) {
        split(n, (from, to) -> {
            for (int e = from; e < to; e++) {
                double i = sigmoid(gates[e]);
                double f = sigmoid(gates[n + e]);
                double g = tanh(gates[2 * n + e]);
                double o = sigmoid(gates[3 * n + e]);
                gates[e] = i;
                gates[n + e] = f;
                gates[2 * n + e] = g;
                gates[3 * n + e] = o;
                c[e] = f * cPrev[e] + i * g;
                h[e] = o * tanh(c[e]);
            }
        });
    }

    /**
     * Given the activated gates, c_t and c_{t−1}, the total dL/dh_t and the carried dL/dc_t (without the
     * contribution through h_t), writes dL/dG_t and replaces dc by dL/dc_{t−1}.
     */
    static void backward(double[] gates, double[] c, double[] cPrev, double[] dh, double[] dc, double[] dGates, int n) {
        split(n, (from, to) -> {
            for (int e = from; e < to; e++) {
                double i = gates[e];
                double f = gates[n + e];
                double g = gates[2 * n + e];
                double o = gates[3 * n + e];
                double tanhC = tanh(c[e]);
                double dcTotal = dc[e] + dh[e] * o * (1 - tanhC * tanhC);
                dGates[e] = dcTotal * g * i * (1 - i);
                dGates[n + e] = dcTotal * cPrev[e] * f * (1 - f);
                dGates[2 * n + e] = dcTotal * i * (1 - g * g);
                dGates[3 * n + e] = dh[e] * tanhC * o * (1 - o);
                dc[e] = dcTotal * f;
            }
        });
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Through one exp (Math.tanh is not an intrinsic); exact to rounding, stable for large |x|. */
    private static double tanh(double x) {
        double e = Math.exp(-2 * Math.abs(x));
        double t = (1 - e) / (1 + e);
        return x < 0 ? -t : t;
    }

    private interface Range {
        void run(int from, int to);
    }

    private static void split(int n, Range body) {
        if (n < PARALLEL_THRESHOLD) {
            body.run(0, n);
            return;
        }
        int half = n / 2;
        ForkJoinTask<?> other = ForkJoinPool.commonPool().submit(() -> body.run(half, n));
        body.run(0, half);
        other.join();
    }
}
