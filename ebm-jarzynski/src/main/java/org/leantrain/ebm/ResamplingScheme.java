package org.leantrain.ebm;

import org.leantrain.core.util.Rng;

/** How walker indices are drawn from normalized weights when the ESS is too low (spec §2). */
public enum ResamplingScheme {
    /** N indices i.i.d. from p. */
    MULTINOMIAL {
        @Override
        public int[] indices(double[] p, Rng rng) {
            double[] cumulative = cumulative(p);
            int[] idx = new int[p.length];
            for (int j = 0; j < p.length; j++) {
                idx[j] = search(cumulative, rng.nextDouble() * cumulative[p.length - 1]);
            }
            return idx;
        }
    },
    /** One uniform u; points (u + j)/N; each walker copied floor(N p_i) or ceil(N p_i) times. */
    SYSTEMATIC {
        @Override
        public int[] indices(double[] p, Rng rng) {
            return systematic(p, rng.nextDouble());
        }
    };

    /** N walker indices drawn from the normalized weights p. */
    public abstract int[] indices(double[] p, Rng rng);

    /** Systematic resampling with a given u ∈ [0, 1): index j = smallest i with c_i > (u + j)/N. */
    public static int[] systematic(double[] p, double u) {
        double[] cumulative = cumulative(p);
        double total = cumulative[p.length - 1];
        int n = p.length;
        int[] idx = new int[n];
        int i = 0;
        for (int j = 0; j < n; j++) {
            double t = (u + j) / n * total;
            while (i < n - 1 && !(cumulative[i] > t)) {
                i++;
            }
            idx[j] = i; // clamped to N−1 against round-off
        }
        return idx;
    }

    private static double[] cumulative(double[] p) {
        double[] c = new double[p.length];
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += p[i];
            c[i] = s;
        }
        return c;
    }

    private static int search(double[] cumulative, double t) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > t) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
