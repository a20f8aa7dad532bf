package org.leantrain.sde;

/**
 * Observations O_i = H X_{t_i} + ε_i, ε_i ~ N(0, R), at strictly increasing times in (0, T] (spec §2.1).
 *
 * @param times t_i
 * @param values O_i, one row of q values per time
 * @param h the q×d observation matrix
 * @param r the q×q noise covariance, symmetric positive definite
 */
public record Observations(double[] times, double[][] values, double[][] h, double[][] r) {
    public Observations {
        if (times == null || times.length == 0) {
            throw new IllegalArgumentException("at least one observation is needed");
        }
        Mat.requireFinite(times, "observation times");
        for (int i = 1; i < times.length; i++) {
            if (!(times[i] > times[i - 1])) {
                throw new IllegalArgumentException("observation times must be strictly increasing (sorted, no "
                        + "duplicates): t_" + (i - 1) + " = " + times[i - 1] + ", t_" + i + " = " + times[i]);
            }
        }
        if (h == null || h.length == 0 || h[0] == null) {
            throw new IllegalArgumentException("H must be a non-empty q×d matrix");
        }
        int q = h.length;
        Mat.requireShape(h, q, h[0].length, "H");
        Mat.requireFinite(h, "H");
        Mat.requireShape(values, times.length, q, "observation values (one row of q = " + q + " per time)");
        Mat.requireFinite(values, "observation values");
        Mat.requireShape(r, q, q, "R");
        Mat.requireFinite(r, "R");
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < i; j++) {
                if (Math.abs(r[i][j] - r[j][i]) > 1e-12 * (Math.abs(r[i][j]) + Math.abs(r[j][i]))) {
                    throw new IllegalArgumentException("R must be symmetric: (" + i + ", " + j + ") = " + r[i][j]
                            + " but (" + j + ", " + i + ") = " + r[j][i]);
                }
            }
        }
        if (Mat.cholesky(r) == null) {
            throw new IllegalArgumentException("R must be positive definite (every observation noise variance > 0)");
        }
        times = times.clone();
        values = Mat.copy(values);
        h = Mat.copy(h);
        r = Mat.copy(r);
    }

    /** Scalar observations of the first coordinate of a d-dimensional state: H = [1, 0, …], R = [[variance]]. */
    public static Observations scalar(double[] times, double[] values, int stateDim, double variance) {
        double[][] v = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            v[i] = new double[] {values[i]};
        }
        double[][] h = new double[1][stateDim];
        h[0][0] = 1;
        return new Observations(times, v, h, new double[][] {{variance}});
    }

    public int count() {
        return times.length;
    }

    public int dim() {
        return h.length;
    }

    public int stateDim() {
        return h[0].length;
    }

    /** For each grid index 0..K, the observation made there, or −1. */
    int[] observationAtStep(TimeGrid grid) {
        int[] at = new int[grid.steps() + 1];
        java.util.Arrays.fill(at, -1);
        int[] idx = indices(grid);
        for (int i = 0; i < idx.length; i++) {
            at[idx[i]] = i;
        }
        return at;
    }

    /** Grid index of each observation (validated on the grid). */
    int[] indices(TimeGrid grid) {
        int[] k = new int[times.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = grid.indexOf(times[i]);
        }
        return k;
    }
}
