package org.leantrain.ode;

import java.util.List;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Progress;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ablation (spec §5): the same collocation NLP, solved by Adam on the quadratic penalty F + (ρ/2)‖c‖² over all
 * variables z instead of by the Gauss–Newton SQP. It separates the formulation (states as unknowns) from the solver
 * (second order, exact feasibility). The gradient J_rᵀr + λθ + ρJ_cᵀc comes from the same Jacobian blocks.
 */
public final class CollocationPenaltyAdamTrainer {
    private CollocationPenaltyAdamTrainer() {}

    /** Adam iterations, learning rate, penalty ρ; curve entries are {seconds, F, ‖c‖∞} per iteration. */
    public record Result(double[] z, List<double[]> curve, double seconds) {}

    public static Result train(CollocationProblem p, double[] z0, int iterations, double lr, double rho) {
        if (iterations < 1 || !(lr > 0) || !(rho > 0)) {
            throw new IllegalArgumentException("penalty-Adam needs iterations ≥ 1, lr > 0, ρ > 0; got " + iterations
                    + ", " + lr + ", " + rho);
        }
        Tensor z = Tensor.parameter(Nd4j.create(z0.clone(), new long[] {z0.length}, 'c'));
        Adam adam = Adam.adam(List.of(z), lr);
        List<double[]> curve = new java.util.ArrayList<>();
        long start = System.nanoTime();
        Progress progress = new Progress("collocation penalty-Adam", iterations, Math.max(1, iterations / 10));
        for (int it = 0; it < iterations; it++) {
            double[] zv = z.value().toDoubleVector();
            CollocationProblem.Linearization lin = p.linearize(zv);
            if (lin.badNode >= 0) {
                break;
            }
            curve.add(new double[] {(System.nanoTime() - start) / 1e9, lin.f, lin.cInf});
            adam.zeroGrad();
            z.accumulateGrad(Nd4j.create(gradient(p, lin, zv, rho), new long[] {zv.length}, 'c'));
            adam.step();
            progress.step(it + 1, lin.f + 0.5 * rho * lin.cInf * lin.cInf);
        }
        return new Result(z.value().toDoubleVector(), curve, (System.nanoTime() - start) / 1e9);
    }

    static double[] gradient(CollocationProblem p, CollocationProblem.Linearization lin, double[] z, double rho) {
        double[] g = new double[z.length];
        for (int row = 0; row < p.dataIdx.length; row++) {
            for (int q = 0; q < p.dataIdx[row].length; q++) {
                g[p.dataIdx[row][q]] += p.dataCoef[row][q] * lin.r[row];
            }
        }
        for (int q = 0; q < p.nTheta; q++) {
            g[p.nX + p.x0Cols + q] += p.lambda * z[p.nX + p.x0Cols + q];
        }
        int size = p.m * p.nx;
        double[][] d = p.radau.d();
        for (int i = 0; i < p.n; i++) {
            for (int row = 0; row < size; row++) {
                int zRow = i * size + row;
                double c = rho * lin.c[zRow];
                if (c == 0) {
                    continue;
                }
                for (int col = 0; col < size; col++) {
                    g[i * size + col] += lin.e[i][row][col] * c;
                }
                int prev = p.stateIndex(i, 0, row % p.nx);
                if (prev >= 0) {
                    g[prev] += d[row / p.nx][0] * c;
                }
                int base = zRow * p.np;
                for (int q = 0; q < p.np; q++) {
                    g[p.nX + q] += lin.g[base + q] * c;
                }
            }
        }
        return g;
    }
}
