package org.leantrain.ode;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The condensed Gauss–Newton step (spec §2.5). A forward sweep eliminates the node states interval by interval,
 * ΔX_i = a_i + S_i·Δp, factoring each E_i once; the Levenberg–Marquardt subproblem in Δp alone,
 * (MᵀM + λI_θ + μ(I + SᵀS))Δp = −(Mᵀr̄ + λθ + μSᵀa) with M = J_rX·S + J_rp and r̄ = r + J_rX·a, is then solved by
 * Cholesky. The sweep does not depend on μ, so a rejected step re-solves only the np × np system.
 */
final class CondensedKkt {
    private final CollocationProblem p;
    private final CollocationProblem.Linearization lin;
    private final DenseLu[] factors;
    /** a [nX] and S [nX × np] row-major. */
    final double[] a;
    final double[] s;
    private double[][] mtm;
    private double[][] sts;
    private double[] mtr;
    private double[] sta;
    private double[][] mRows;
    private double[] rBar;
    /** The Cholesky factor of the last normal matrix, reused by the second-order correction. */
    private double[][] normalFactor;
    private double lastMu;

    CondensedKkt(CollocationProblem p, CollocationProblem.Linearization lin) {
        this.p = p;
        this.lin = lin;
        this.factors = new DenseLu[p.n];
        this.a = new double[p.nX];
        this.s = new double[p.nX * p.np];
        sweep();
        if (p.np > 0) {
            assembleNormalTerms();
        }
    }

    /** Timing split of the last constructions, in nanoseconds (sweep, normal matrix), for the benchmark. */
    long sweepNanos;
    long normalNanos;

    private void sweep() {
        long t0 = System.nanoTime();
        int nx = p.nx;
        int np = p.np;
        int size = p.m * nx;
        double[][] d = p.radau.d();
        for (int i = 0; i < p.n; i++) {
            factors[i] = new DenseLu(lin.e[i], "collocation block E_" + i + " (interval [" + p.mesh.t(i) + ", "
                    + p.mesh.t(i + 1) + "])");
            double[][] rhs = new double[size][1 + np];
            int prevNode = i == 0 ? -1 : (i - 1) * p.m + p.m - 1;
            for (int j = 0; j < p.m; j++) {
                double dj0 = d[j][0];
                for (int comp = 0; comp < nx; comp++) {
                    int row = j * nx + comp;
                    int zRow = (i * p.m + j) * nx + comp;
                    double[] r = rhs[row];
                    double prevA = prevNode < 0 ? 0 : a[prevNode * nx + comp];
                    r[0] = -lin.c[zRow] - dj0 * prevA;
                    int gBase = zRow * np;
                    if (prevNode >= 0) {
                        int sBase = (prevNode * nx + comp) * np;
                        for (int q = 0; q < np; q++) {
                            r[1 + q] = -lin.g[gBase + q] - dj0 * s[sBase + q];
                        }
                    } else {
                        for (int q = 0; q < np; q++) {
                            r[1 + q] = -lin.g[gBase + q];
                        }
                        if (p.x0Free) {
                            r[1 + comp] -= dj0;
                        }
                    }
                }
            }
            factors[i].solveInPlace(rhs);
            for (int row = 0; row < size; row++) {
                int zRow = i * size + row;
                a[zRow] = rhs[row][0];
                System.arraycopy(rhs[row], 1, s, zRow * np, np);
            }
        }
        sweepNanos = System.nanoTime() - t0;
    }

    private int rowCount() {
        return p.dataIdx.length + p.hingeRows;
    }

    private int[] idx(int row) {
        return row < p.dataIdx.length ? p.dataIdx[row] : lin.hingeIdx[row - p.dataIdx.length];
    }

    private double[] coef(int row) {
        return row < p.dataIdx.length ? p.dataCoef[row] : lin.hingeCoef[row - p.dataIdx.length];
    }

    private double[] pRow(int row) {
        return row < p.dataIdx.length ? null : lin.hingeP[row - p.dataIdx.length];
    }

    private void assembleNormalTerms() {
        long t0 = System.nanoTime();
        int np = p.np;
        int nr = rowCount();
        mRows = new double[nr][np];
        rBar = new double[nr];
        for (int row = 0; row < nr; row++) {
            double[] mr = mRows[row];
            double rb = lin.r[row];
            int[] ix = idx(row);
            double[] cf = coef(row);
            for (int q = 0; q < ix.length; q++) {
                int zi = ix[q];
                if (zi < p.nX) {
                    rb += cf[q] * a[zi];
                    int base = zi * np;
                    for (int col = 0; col < np; col++) {
                        mr[col] += cf[q] * s[base + col];
                    }
                } else {
                    mr[zi - p.nX] += cf[q];
                }
            }
            double[] pr = pRow(row);
            if (pr != null) {
                for (int col = 0; col < np; col++) {
                    mr[col] += pr[col];
                }
            }
            rBar[row] = rb;
        }
        INDArray sm = Nd4j.create(s, new long[] {p.nX, np}, 'c');
        INDArray mm = Matrices.fromRows(mRows);
        sts = Matrices.toRows(sm.transpose().mmul(sm));
        sta = Matrices.toFlat(sm.transpose().mmul(Nd4j.create(a, new long[] {p.nX, 1}, 'c')));
        mtm = Matrices.toRows(mm.transpose().mmul(mm));
        mtr = Matrices.toFlat(mm.transpose().mmul(Nd4j.create(rBar, new long[] {nr, 1}, 'c')));
        normalNanos = System.nanoTime() - t0;
    }

    /** The damped Gauss–Newton step for damping μ. */
    Step solve(double mu) {
        lastMu = mu;
        int np = p.np;
        double[] dp = new double[np];
        if (np > 0) {
            double[][] h = new double[np][np];
            double[] rhs = new double[np];
            int thetaStart = p.x0Cols;
            for (int i = 0; i < np; i++) {
                for (int j = 0; j < np; j++) {
                    h[i][j] = mtm[i][j] + mu * sts[i][j];
                }
                h[i][i] += mu;
                rhs[i] = -(mtr[i] + mu * sta[i]);
            }
            for (int q = 0; q < p.nTheta; q++) {
                h[thetaStart + q][thetaStart + q] += p.lambda;
                rhs[thetaStart + q] -= p.lambda * lin.theta[q];
            }
            dp = Cholesky.solve(h, rhs);
            normalFactor = h;
        }
        return step(plusSTimes(a.clone(), dp), dp);
    }

    private Step step(double[] dx, double[] dp) {
        int nr = rowCount();
        double[] jdz = new double[nr];
        for (int row = 0; row < nr; row++) {
            double v = 0;
            int[] ix = idx(row);
            double[] cf = coef(row);
            for (int q = 0; q < ix.length; q++) {
                v += cf[q] * (ix[q] < p.nX ? dx[ix[q]] : dp[ix[q] - p.nX]);
            }
            double[] pr = pRow(row);
            if (pr != null) {
                for (int col = 0; col < dp.length; col++) {
                    v += pr[col] * dp[col];
                }
            }
            jdz[row] = v;
        }
        double regDir = 0;
        double regQuad = 0;
        for (int q = 0; q < p.nTheta; q++) {
            double dt = dp[p.x0Cols + q];
            regDir += p.lambda * lin.theta[q] * dt;
            regQuad += p.lambda * dt * dt;
        }
        return new Step(dx, dp, jdz, regDir, regQuad);
    }

    /**
     * Second-order correction for a trial point whose constraints are c(z + Δz): the same damped subproblem at the
     * same linearisation with the residual gradient removed and the constraint right-hand side −c(z + Δz), i.e.
     * min ½‖J_rΔ‖² + ½μ‖Δ‖² s.t. J_cΔ = −c(z + Δz). The correction is shared between states and parameters, so it
     * restores feasibility without dragging the states off the data (a pure state sweep with Δp = 0 would re-simulate).
     */
    Step secondOrderCorrection(double[] cTrial) {
        double[] aSoc = sweepStates(cTrial);
        int np = p.np;
        double[] dp = new double[np];
        if (np > 0) {
            int nr = rowCount();
            double[] g = new double[np];
            for (int row = 0; row < nr; row++) {
                double v = 0;
                int[] ix = idx(row);
                double[] cf = coef(row);
                for (int q = 0; q < ix.length; q++) {
                    if (ix[q] < p.nX) {
                        v += cf[q] * aSoc[ix[q]];
                    }
                }
                if (v != 0) {
                    double[] mr = mRows[row];
                    for (int col = 0; col < np; col++) {
                        g[col] += mr[col] * v;
                    }
                }
            }
            for (int row = 0; row < p.nX; row++) {
                double av = aSoc[row] * lastMu;
                if (av != 0) {
                    int base = row * np;
                    for (int col = 0; col < np; col++) {
                        g[col] += s[base + col] * av;
                    }
                }
            }
            for (int col = 0; col < np; col++) {
                g[col] = -g[col];
            }
            dp = Cholesky.solveFactored(normalFactor, g);
        }
        return new Step(plusSTimes(aSoc, dp), dp, new double[0], 0, 0);
    }

    /** ΔX = a + S·Δp, in place in {@code a}. */
    private double[] plusSTimes(double[] a, double[] dp) {
        int np = p.np;
        for (int row = 0; np > 0 && row < p.nX; row++) {
            int base = row * np;
            double v = 0;
            for (int q = 0; q < np; q++) {
                v += s[base + q] * dp[q];
            }
            a[row] += v;
        }
        return a;
    }

    /** The forward sweep on the states alone: ΔX with J_cΔX = −c and Δp = 0, reusing the factors. */
    private double[] sweepStates(double[] cTrial) {
        int nx = p.nx;
        int size = p.m * nx;
        double[][] d = p.radau.d();
        double[] corr = new double[p.nX];
        for (int i = 0; i < p.n; i++) {
            double[][] rhs = new double[size][1];
            int prevNode = i == 0 ? -1 : (i - 1) * p.m + p.m - 1;
            for (int j = 0; j < p.m; j++) {
                for (int comp = 0; comp < nx; comp++) {
                    int zRow = (i * p.m + j) * nx + comp;
                    double prev = prevNode < 0 ? 0 : corr[prevNode * nx + comp];
                    rhs[j * nx + comp][0] = -cTrial[zRow] - d[j][0] * prev;
                }
            }
            factors[i].solveInPlace(rhs);
            for (int row = 0; row < size; row++) {
                corr[i * size + row] = rhs[row][0];
            }
        }
        return corr;
    }

    /** ΔX, Δp, the linearised residual change J_r·Δz, and the regulariser's λθᵀΔθ and λ‖Δθ‖². */
    record Step(double[] dx, double[] dp, double[] jdz, double regDir, double regQuad) {
        double[] apply(double[] z, double alpha, int nX) {
            double[] out = z.clone();
            for (int i = 0; i < dx.length; i++) {
                out[i] += alpha * dx[i];
            }
            for (int i = 0; i < dp.length; i++) {
                out[nX + i] += alpha * dp[i];
            }
            return out;
        }
    }
}
