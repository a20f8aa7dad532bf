package org.leantrain.ode;

/** The uncondensed reference: dense J_c, J_r and the full KKT system, for tests only. */
final class DenseKkt {
    private DenseKkt() {}

    static double[][] constraintJacobian(CollocationProblem p, CollocationProblem.Linearization lin) {
        int nz = p.variableCount();
        double[][] j = new double[p.nX][nz];
        int size = p.m * p.nx;
        double[][] d = p.radau.d();
        for (int i = 0; i < p.n; i++) {
            for (int row = 0; row < size; row++) {
                int zRow = i * size + row;
                System.arraycopy(lin.e[i][row], 0, j[zRow], i * size, size);
                for (int q = 0; q < p.np; q++) {
                    j[zRow][p.nX + q] += lin.g[zRow * p.np + q];
                }
                int stage = row / p.nx;
                int comp = row % p.nx;
                int prev = p.stateIndex(i, 0, comp);
                if (prev >= 0) {
                    j[zRow][prev] += d[stage][0];
                }
            }
        }
        return j;
    }

    static double[][] residualJacobian(CollocationProblem p, CollocationProblem.Linearization lin) {
        int nr = p.residualCount();
        double[][] j = new double[nr][p.variableCount()];
        for (int row = 0; row < p.dataIdx.length; row++) {
            for (int q = 0; q < p.dataIdx[row].length; q++) {
                j[row][p.dataIdx[row][q]] += p.dataCoef[row][q];
            }
        }
        for (int h = 0; h < p.hingeRows; h++) {
            int row = p.dataIdx.length + h;
            for (int q = 0; q < lin.hingeIdx[h].length; q++) {
                j[row][lin.hingeIdx[h][q]] += lin.hingeCoef[h][q];
            }
            if (lin.hingeP[h] != null) {
                for (int q = 0; q < p.np; q++) {
                    j[row][p.nX + q] += lin.hingeP[h][q];
                }
            }
        }
        return j;
    }

    /** Δz from [[JᵀJ + μI + λI_θ, J_cᵀ], [J_c, 0]] [Δz; ν] = [−(Jᵀr + λθ); −c]. */
    static double[] solve(CollocationProblem p, CollocationProblem.Linearization lin, double mu) {
        double[][] jc = constraintJacobian(p, lin);
        double[][] jr = residualJacobian(p, lin);
        int nz = p.variableCount();
        int nc = p.nX;
        double[][] k = new double[nz + nc][nz + nc];
        double[][] rhs = new double[nz + nc][1];
        for (int a = 0; a < nz; a++) {
            for (int b = 0; b < nz; b++) {
                double s = 0;
                for (double[] row : jr) {
                    s += row[a] * row[b];
                }
                k[a][b] = s;
            }
            k[a][a] += mu;
            double g = 0;
            for (int row = 0; row < jr.length; row++) {
                g += jr[row][a] * lin.r[row];
            }
            rhs[a][0] = -g;
        }
        for (int q = 0; q < p.nTheta; q++) {
            int a = p.nX + p.x0Cols + q;
            k[a][a] += p.lambda;
            rhs[a][0] -= p.lambda * lin.theta[q];
        }
        for (int c = 0; c < nc; c++) {
            for (int a = 0; a < nz; a++) {
                k[nz + c][a] = jc[c][a];
                k[a][nz + c] = jc[c][a];
            }
            rhs[nz + c][0] = -lin.c[c];
        }
        new DenseLu(k, "dense KKT").solveInPlace(rhs);
        double[] dz = new double[nz];
        for (int a = 0; a < nz; a++) {
            dz[a] = rhs[a][0];
        }
        return dz;
    }
}
