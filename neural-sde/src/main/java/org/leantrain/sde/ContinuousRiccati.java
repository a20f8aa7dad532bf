package org.leantrain.sde;

/**
 * The continuous-time backward equations of spec §2.3 for a linear prior, integrated by RK4 from T⁺ (P = ν = γ = 0)
 * down to t with the observation jumps on the way: Ṗ = −AᵀP − PA + PBBᵀP, ν̇ = −Aᵀν + Pa + PBBᵀν,
 * γ̇ = −aᵀν − ½νᵀBBᵀν + ½tr(BBᵀP). Used by the tests and for the continuous log p(O).
 */
public final class ContinuousRiccati {
    private final double[][] a;
    private final double[][] aT;
    private final double[] offset;
    private final double[][] bbT;
    private final Observations obs;
    private final double horizon;
    private final int substeps;

    /** substeps = RK4 steps over the whole horizon [0, T] (each segment between jumps gets its share). */
    public ContinuousRiccati(LinearPart lin, Diffusion s, Observations obs, double horizon, int substeps) {
        if (!(horizon > 0) || substeps < 1) {
            throw new IllegalArgumentException("horizon must be > 0 and substeps >= 1, got " + horizon + ", " + substeps);
        }
        for (double t : obs.times()) {
            if (!(t > 0) || t > horizon) {
                throw new IllegalArgumentException("observation time " + t + " is outside (0, T = " + horizon + "]");
            }
        }
        this.a = lin.a();
        this.aT = Mat.transpose(a);
        this.offset = lin.offset();
        this.bbT = s.covariance();
        this.obs = obs;
        this.horizon = horizon;
        this.substeps = substeps;
    }

    /** The state at t⁻: integrated down to t, with the jump of an observation at exactly t applied. */
    public FilterState stateAt(double t) {
        int d = a.length;
        FilterState state = new FilterState(new double[d][d], new double[d], 0);
        double now = horizon;
        double h = horizon / substeps;
        double[] times = obs.times();
        for (int i = times.length - 1; i >= -1; i--) {
            double stop = i >= 0 ? Math.max(times[i], t) : t;
            if (stop < now) {
                state = integrate(state, now, stop, Math.max(1, (int) Math.round((now - stop) / h)));
                now = stop;
            }
            if (i >= 0 && times[i] >= t) {
                state = state.jump(obs, i);
            }
            if (now <= t) {
                break;
            }
        }
        return state;
    }

    /** log p(O) of the continuous-time model from x0. */
    public double logEvidence(double[] x0) {
        return stateAt(0).logEvidence(x0);
    }

    private FilterState integrate(FilterState s, double from, double to, int n) {
        double step = (from - to) / n; // in backward time σ = T − t
        double[] y = pack(s);
        for (int i = 0; i < n; i++) {
            double[] k1 = rate(y);
            double[] k2 = rate(axpy(y, k1, step / 2));
            double[] k3 = rate(axpy(y, k2, step / 2));
            double[] k4 = rate(axpy(y, k3, step));
            for (int j = 0; j < y.length; j++) {
                y[j] += step / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
            }
        }
        return unpack(y);
    }

    /** d/d(T − t) of (P, ν, γ): the negated time derivatives. */
    private double[] rate(double[] y) {
        FilterState s = unpack(y);
        double[][] p = s.p();
        double[] nu = s.nu();
        double[][] pbb = Mat.mul(p, bbT);
        double[][] dp = Mat.add(Mat.add(Mat.mul(aT, p), Mat.mul(p, a)), Mat.scale(Mat.mul(pbb, p), -1));
        double[] dnu = Mat.add(Mat.add(Mat.mul(aT, nu), Mat.scale(Mat.mul(p, offset), -1)),
                Mat.scale(Mat.mul(pbb, nu), -1));
        double dgamma = Mat.dot(offset, nu) + 0.5 * Mat.dot(nu, Mat.mul(bbT, nu)) - 0.5 * Mat.trace(Mat.mul(bbT, p));
        return pack(new FilterState(dp, dnu, dgamma));
    }

    private static double[] axpy(double[] y, double[] k, double h) {
        double[] out = y.clone();
        for (int j = 0; j < out.length; j++) {
            out[j] += h * k[j];
        }
        return out;
    }

    private double[] pack(FilterState s) {
        int d = a.length;
        double[] y = new double[d * d + d + 1];
        for (int i = 0; i < d; i++) {
            System.arraycopy(s.p()[i], 0, y, i * d, d);
        }
        System.arraycopy(s.nu(), 0, y, d * d, d);
        y[d * d + d] = s.gamma();
        return y;
    }

    private FilterState unpack(double[] y) {
        int d = a.length;
        double[][] p = new double[d][d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(y, i * d, p[i], 0, d);
        }
        double[] nu = new double[d];
        System.arraycopy(y, d * d, nu, 0, d);
        return new FilterState(p, nu, y[d * d + d]);
    }
}
