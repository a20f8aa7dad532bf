package org.leantrain.ebm;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Walkers X [N, D] with double log-weights A, the energies U(X) cached under the current θ, the cached gradients
 * ∇U(X) (valid under the θ they were computed with), and Λ, the log-mean-weights banked at each resampling.
 */
public final class WalkerPopulation {
    INDArray positions;
    double[] logWeights;
    double[] energies;
    INDArray grads;
    double logZOffset;
    // derived from the log-weights once per change: LSE(A), p and the ESS
    private double lseCache = Double.NaN;
    private double[] weightsCache;
    private double essCache = Double.NaN;

    public WalkerPopulation(INDArray positions, EnergyGrad cache) {
        int n = (int) positions.size(0);
        if (cache.energy().length != n) {
            throw new IllegalArgumentException("cache holds " + cache.energy().length + " energies for " + n + " walkers");
        }
        this.positions = positions;
        this.logWeights = new double[n];
        this.energies = cache.energy().clone();
        this.grads = cache.grad();
    }

    public int size() {
        return logWeights.length;
    }

    public INDArray positions() {
        return positions;
    }

    public double[] logWeights() {
        return logWeights.clone();
    }

    public double[] cachedEnergies() {
        return energies.clone();
    }

    public double[] normalizedWeights() {
        derive();
        return weightsCache.clone();
    }

    public double ess() {
        derive();
        return essCache;
    }

    /** Must follow every change of the log-weights (drops the cached p and ESS). */
    void weightsChanged() {
        weightsCache = null;
        essCache = Double.NaN;
        lseCache = Double.NaN;
    }

    private void derive() {
        if (weightsCache != null) {
            return;
        }
        lseCache = LogWeights.logSumExp(logWeights);
        weightsCache = LogWeights.normalize(logWeights, lseCache);
        essCache = LogWeights.essOfNormalized(weightsCache);
    }

    public double logMeanWeight() {
        derive();
        return lseCache - Math.log(logWeights.length);
    }

    /** log Ẑ = log Z_0 + Λ + LSE(A) − log N. */
    public double logZEstimate(double logZ0) {
        return logZ0 + logZOffset + logMeanWeight();
    }

    /** Σ_i p_i f_i for per-walker values f. */
    public double weightedMean(double[] f) {
        double[] p = normalizedWeights();
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += p[i] * f[i];
        }
        return s;
    }

    /** Copies rows idx (with their energies and gradients); Λ += LSE(A) − log N, then A := 0, so log Ẑ is unchanged. */
    public void resample(int[] idx) {
        if (idx.length != size()) {
            throw new IllegalArgumentException("resampling needs " + size() + " indices, got " + idx.length);
        }
        logZOffset += logMeanWeight();
        positions = Nd4j.pullRows(positions, 1, idx);
        if (grads != null) {
            grads = Nd4j.pullRows(grads, 1, idx);
        }
        double[] e = new double[idx.length];
        for (int j = 0; j < idx.length; j++) {
            e[j] = energies[idx[j]];
        }
        energies = e;
        logWeights = new double[idx.length];
        weightsChanged();
    }

    /** Checks that log-weights and cached energies are finite, naming the update that broke them. */
    void checkFinite(String what, long update) {
        for (int i = 0; i < logWeights.length; i++) {
            if (!Double.isFinite(logWeights[i]) || !Double.isFinite(energies[i])) {
                throw new ArithmeticException(what + ": walker " + i + " has log-weight " + logWeights[i]
                        + " and energy " + energies[i] + " at update " + update
                        + "; lower the step size h or the learning rate");
            }
        }
    }
}
