package org.leantrain.core.util;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded random source (SplitMix64) whose whole state is one long, so it can be saved and replayed exactly
 * (re-materialisation re-runs a segment with the RNG state it had in forward). Same seed, same numbers, on any
 * backend and thread. Not thread-safe: give each thread its own, e.g. via {@link #split()}.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** The current state; {@link #restore(long)} returns to it. */
    public long state() {
        return state;
    }

    public void restore(long savedState) {
        this.state = savedState;
    }

    /** An independent generator seeded from this one. */
    public Rng split() {
        return new Rng(nextLong());
    }

    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) Math.floorMod(nextLong() >>> 1, (long) bound);
    }

    /** Standard normal (Box–Muller; one draw of two uniforms per call). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    public INDArray normal(DataType type, double mean, double std, long... shape) {
        double[] v = new double[Math.toIntExact(length(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * nextGaussian();
        }
        return Nd4j.create(v, shape, type);
    }

    public INDArray uniform(DataType type, double low, double high, long... shape) {
        double[] v = new double[Math.toIntExact(length(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = low + (high - low) * nextDouble();
        }
        return Nd4j.create(v, shape, type);
    }

    /** 1 with probability {@code p}, else 0. */
    public INDArray bernoulli(DataType type, double p, long... shape) {
        double[] v = new double[Math.toIntExact(length(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = nextDouble() < p ? 1.0 : 0.0;
        }
        return Nd4j.create(v, shape, type);
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + java.util.Arrays.toString(shape));
            }
            n *= s;
        }
        return n;
    }
}
