package org.leantrain.sde;

/** A control affine in the state per Euler step, u_k(x) = K_k x + g_k (gains K×d_w×d, offsets K×d_w). */
public record AffineControl(double[][][] gains, double[][] offsets) {
    public AffineControl {
        if (gains.length != offsets.length) {
            throw new IllegalArgumentException("one gain and one offset per step: " + gains.length + " vs "
                    + offsets.length);
        }
    }

    /** u ≡ 0 (the prior itself). */
    public static AffineControl zero(int steps, int noiseDim, int stateDim) {
        return new AffineControl(new double[steps][noiseDim][stateDim], new double[steps][noiseDim]);
    }

    public int steps() {
        return gains.length;
    }
}
