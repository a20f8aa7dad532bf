package org.leantrain.ebm;

import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The ULA move and its exact kernel ratio in the stable ξ form (spec §2). */
public final class UlaKernel {
    private final UlaConfig config;

    public UlaKernel(UlaConfig config) {
        this.config = config;
    }

    public UlaConfig config() {
        return config;
    }

    /** A proposal y = x − h g(x) + sqrt(2hT) ξ and the standard normal ξ (in x's type) that produced it. */
    public record Move(INDArray y, INDArray xi) {}

    /**
     * One ULA step of every row of x, using the cached gradient g(x). ξ comes from ND4J's native generator (several
     * times faster than drawing in Java), seeded from {@code rng} on every call so a run is reproducible.
     */
    public Move step(INDArray x, INDArray gradX, Rng rng) {
        Nd4j.getRandom().setSeed(rng.nextLong());
        INDArray xi = Nd4j.randn(x.dataType(), x.shape());
        return new Move(move(x, gradX, xi), xi);
    }

    /** y = x − h g(x) + sqrt(2hT) ξ for a given ξ. */
    public INDArray move(INDArray x, INDArray gradX, INDArray xi) {
        INDArray y = x.sub(gradX.mul(config.stepSize()));
        return y.addi(xi.castTo(x.dataType()).mul(config.noiseStd())); // castTo may return xi itself: no in-place
    }

    /** Per row, log q(y→x) − log q(x→y) for the move x→y that used ξ; g_x and g_y may come from different θ. */
    public double[] logKernelRatio(INDArray xi, INDArray gradX, INDArray gradY) {
        return logKernelRatio(xi, gradX, gradY, config.stepSize(), config.temperature());
    }

    /** {@code sqrt(h/(2T)) ξ·s − (h/(4T)) |s|²} with {@code s = g_x + g_y}: no cancellation of O(D) terms; float64. */
    public static double[] logKernelRatio(INDArray xi, INDArray gradX, INDArray gradY, double h, double temperature) {
        int n = (int) xi.size(0);
        int d = (int) (xi.length() / n);
        double[] e = flat(xi);
        double[] gx = flat(gradX);
        double[] gy = flat(gradY);
        double a = Math.sqrt(h / (2 * temperature));
        double b = h / (4 * temperature);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double dot = 0;
            double sq = 0;
            for (int k = i * d; k < (i + 1) * d; k++) {
                double s = gx[k] + gy[k];
                dot += e[k] * s;
                sq += s * s;
            }
            out[i] = a * dot - b * sq;
        }
        return out;
    }

    /** log q(x→y) = −|ξ|²/2 per row (up to the constant that cancels in every ratio). */
    public static double[] logForwardKernel(INDArray xi) {
        int n = (int) xi.size(0);
        int d = (int) (xi.length() / n);
        double[] e = flat(xi);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int k = i * d; k < (i + 1) * d; k++) {
                sq += e[k] * e[k];
            }
            out[i] = -0.5 * sq;
        }
        return out;
    }

    /**
     * The elements in row-major order as doubles, by one bulk copy from the native buffer (DataBuffer.asDouble and
     * asFloat copy element by element through a bounds-checked indexer, several times slower).
     */
    static double[] flat(INDArray x) {
        INDArray c = plain(x);
        double[] out = new double[(int) c.length()];
        if (c.dataType() == DataType.DOUBLE) {
            c.data().asNioDouble().get(out);
            return out;
        }
        float[] floats = new float[out.length];
        plain(c.castTo(DataType.FLOAT)).data().asNioFloat().get(floats);
        for (int i = 0; i < out.length; i++) {
            out[i] = floats[i];
        }
        return out;
    }

    /** x itself when it owns a plain row-major buffer, else a row-major copy. */
    private static INDArray plain(INDArray x) {
        boolean plain = !x.isView() && x.ordering() == 'c' && x.data().length() == x.length() && x.offset() == 0;
        return plain ? x : x.dup('c');
    }
}
