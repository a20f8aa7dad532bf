package org.leantrain.ebm;

import org.leantrain.core.tensor.Nd;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Helpers shared by the samplers: checked energy passes and random walker subsets. */
final class Walkers {
    private Walkers() {}

    static EnergyGrad energyAndGrad(EnergyModel model, INDArray x, long update) {
        EnergyGrad eg;
        try {
            eg = model.energyAndGrad(x);
        } catch (ArithmeticException e) { // the tape's own NaN guard: add the update
            throw new ArithmeticException("energy pass failed at update " + update + ": " + e.getMessage());
        }
        checkEnergies(eg.energy(), update);
        if (!Nd.isFinite(eg.grad())) {
            throw new ArithmeticException("energy gradient ∇U has NaN/Inf at update " + update
                    + "; lower the learning rate or the step size h");
        }
        return eg;
    }

    static double[] energies(EnergyModel model, INDArray x, long update) {
        double[] u = model.energies(x);
        checkEnergies(u, update);
        return u;
    }

    private static void checkEnergies(double[] u, long update) {
        for (double v : u) {
            if (!Double.isFinite(v)) {
                throw new ArithmeticException("energy became " + v + " at update " + update
                        + "; lower the learning rate or the step size h");
            }
        }
    }

    /** b distinct indices of 0..n-1 (a partial Fisher–Yates shuffle). */
    static int[] choose(int n, int b, Rng rng) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < b; i++) {
            int j = i + rng.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, b);
    }

    /** A copy in ordinary memory, valid after the current StepMemory scope closes (null stays null). */
    static INDArray keep(INDArray x) {
        return x == null ? null : org.leantrain.core.tensor.StepMemory.outside(x::dup);
    }

    /** n rows of {@code data} drawn uniformly with replacement. */
    static INDArray randomRows(INDArray data, int n, Rng rng) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = rng.nextInt((int) data.size(0));
        }
        return rows(data, idx);
    }

    static INDArray rows(INDArray x, int[] idx) {
        return Nd4j.pullRows(x, 1, idx);
    }

    /** target with rows idx replaced by {@code rows}, as one gather from [target; rows] (no per-row puts). */
    static INDArray replaceRows(INDArray target, int[] idx, INDArray rows) {
        int n = (int) target.size(0);
        int[] source = new int[n];
        for (int i = 0; i < n; i++) {
            source[i] = i;
        }
        for (int j = 0; j < idx.length; j++) {
            source[idx[j]] = n + j;
        }
        return Nd4j.pullRows(Nd4j.vstack(target, rows.castTo(target.dataType())), 1, source);
    }

    static void checkFinite(INDArray x, String what) {
        if (!Nd.isFinite(x)) {
            throw new IllegalArgumentException(what + " contain NaN or Inf; clean the inputs before training");
        }
    }
}
