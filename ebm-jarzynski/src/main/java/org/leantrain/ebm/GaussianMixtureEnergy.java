package org.leantrain.ebm;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mixture of identity-covariance Gaussians as an energy (spec §2): {@code U(x) = −LSE_m(−|x − a_m|²/2 − z_m)}, with
 * closed forms for U, ∇_x U, ∂U/∂a, ∂U/∂z, log Z and the mode masses softmax(−z). Float64. Frozen logits fix the
 * gauge (the energy is defined up to a constant; the default freezes z_1).
 */
public final class GaussianMixtureEnergy implements EnergyModel {
    private final int modes;
    private final int dim;
    private final Tensor means;
    private final Tensor logits;
    private final boolean[] frozenLogits;
    private final boolean trainableMeans;

    public GaussianMixtureEnergy(double[][] means, double[] logits, boolean[] frozenLogits, boolean trainableMeans) {
        if (means.length < 1) {
            throw new IllegalArgumentException("a Gaussian mixture needs M >= 1 modes, got " + means.length);
        }
        if (logits.length != means.length) {
            throw new IllegalArgumentException("logits: " + logits.length + " values for M=" + means.length + " modes");
        }
        if (frozenLogits.length != means.length) {
            throw new IllegalArgumentException("frozenLogits mask has length " + frozenLogits.length + ", expected M="
                    + means.length);
        }
        boolean anyFree = false;
        for (boolean f : frozenLogits) {
            anyFree |= !f;
        }
        if (!anyFree && !trainableMeans) {
            throw new IllegalArgumentException("all logits are frozen and the means are not trainable: nothing to train");
        }
        this.modes = means.length;
        this.dim = means[0].length;
        for (double[] a : means) {
            if (a.length != dim) {
                throw new IllegalArgumentException("means must all have length " + dim + ", got " + a.length);
            }
        }
        this.means = Tensor.parameter(Nd4j.create(means).castTo(DataType.DOUBLE)).named("means");
        this.logits = Tensor.parameter(Nd4j.create(logits, new long[] {1, modes}, DataType.DOUBLE)).named("logits");
        this.frozenLogits = frozenLogits.clone();
        this.trainableMeans = trainableMeans;
        this.means.requireGrad(trainableMeans);
        this.logits.requireGrad(anyFree);
    }

    /** Trainable means and logits with z_1 frozen (the spec's gauge). */
    public static GaussianMixtureEnergy withFirstLogitFrozen(double[][] means, double[] logits) {
        boolean[] frozen = new boolean[means.length];
        frozen[0] = true;
        return new GaussianMixtureEnergy(means, logits, frozen, true);
    }

    public int modes() {
        return modes;
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public DataType dataType() {
        return DataType.DOUBLE;
    }

    /** Means a [M, D]. */
    public Tensor means() {
        return means;
    }

    /** Logits z [1, M]. */
    public Tensor logits() {
        return logits;
    }

    @Override
    public List<Tensor> parameters() {
        List<Tensor> list = new ArrayList<>(2);
        if (means.requiresGrad()) {
            list.add(means);
        }
        if (logits.requiresGrad()) {
            list.add(logits);
        }
        return list;
    }

    public double[][] meanValues() {
        return means.value().toDoubleMatrix();
    }

    public double[] logitValues() {
        return logits.value().toDoubleVector();
    }

    /** U on the tape: −LSE_m(x·a_m − |x|²/2 − |a_m|²/2 − z_m). */
    @Override
    public Tensor energy(Tensor x) {
        Tensor cross = x.matmul(means.transpose());
        Tensor xSquared = x.square().sum(true, 1);
        Tensor aSquared = means.square().sum(true, 1).transpose();
        Tensor l = cross.sub(xSquared.mul(0.5)).sub(aSquared.mul(0.5)).sub(logits);
        return l.logSumExp(1, false).neg();
    }

    @Override
    public double[] energies(INDArray x) {
        checkInput(x, "walkers");
        return evaluate(NativeCopy.doubles(x), (int) x.size(0)).energy;
    }

    @Override
    public EnergyGrad energyAndGrad(INDArray x) {
        checkInput(x, "walkers");
        int n = (int) x.size(0);
        double[] xs = NativeCopy.doubles(x);
        Evaluation e = evaluate(xs, n);
        double[] a = NativeCopy.doubles(means.value());
        double[] g = new double[n * dim];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < modes; m++) {
                double r = e.resp[i * modes + m];
                for (int k = 0; k < dim; k++) {
                    g[i * dim + k] += r * (xs[i * dim + k] - a[m * dim + k]); // ∇U = x − Σ r_m a_m
                }
            }
        }
        return new EnergyGrad(e.energy, NativeCopy.of(g, n, dim).castTo(x.dataType()));
    }

    /** Responsibilities r_m(x) [n][M]. */
    public double[][] responsibilities(INDArray x) {
        checkInput(x, "points");
        int n = (int) x.size(0);
        Evaluation e = evaluate(NativeCopy.doubles(x), n);
        double[][] r = new double[n][modes];
        for (int i = 0; i < n; i++) {
            System.arraycopy(e.resp, i * modes, r[i], 0, modes);
        }
        return r;
    }

    /** Closed-form {@code Σ_i w_i ∂U(x_i)/∂a} [M][D] and {@code Σ_i w_i ∂U(x_i)/∂z} [M] (frozen entries included). */
    public ParameterGradient parameterGradient(INDArray x, double[] w) {
        checkInput(x, "points");
        int n = (int) x.size(0);
        double[] xs = NativeCopy.doubles(x);
        Evaluation e = evaluate(xs, n);
        double[] a = NativeCopy.doubles(means.value());
        double[][] ga = new double[modes][dim];
        double[] gz = new double[modes];
        double weightedEnergy = 0;
        for (int i = 0; i < n; i++) {
            weightedEnergy += w[i] * e.energy[i];
            for (int m = 0; m < modes; m++) {
                double wr = w[i] * e.resp[i * modes + m];
                gz[m] += wr; // ∂U/∂z_m = r_m
                for (int k = 0; k < dim; k++) {
                    ga[m][k] += wr * (a[m * dim + k] - xs[i * dim + k]); // ∂U/∂a_m = r_m (a_m − x)
                }
            }
        }
        return new ParameterGradient(ga, gz, weightedEnergy);
    }

    /** Weighted sums of ∂U/∂a, ∂U/∂z and of U itself. */
    public record ParameterGradient(double[][] means, double[] logits, double weightedEnergy) {}

    /** With α_reg = 0 the surrogate gradient in closed form (mean over data minus p-weighted walkers); else autograd. */
    @Override
    public double accumulateGradient(INDArray data, INDArray walkers, double[] p, double regAlpha) {
        if (regAlpha > 0) {
            double loss = EnergyModel.super.accumulateGradient(data, walkers, p, regAlpha);
            maskFrozenLogits();
            return loss;
        }
        checkInput(data, "data");
        checkInput(walkers, "walkers");
        if (p.length != walkers.size(0)) {
            throw new IllegalArgumentException("weights: " + p.length + " weights for " + walkers.size(0) + " walkers");
        }
        int nData = (int) data.size(0);
        double[] wData = new double[nData];
        java.util.Arrays.fill(wData, 1.0 / nData);
        double[] negP = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            negP[i] = -p[i];
        }
        ParameterGradient gData = parameterGradient(data, wData);
        ParameterGradient gWalkers = parameterGradient(walkers, negP);
        double[][] ga = new double[modes][dim];
        double[] gz = new double[modes];
        for (int m = 0; m < modes; m++) {
            for (int k = 0; k < dim; k++) {
                ga[m][k] = gData.means()[m][k] + gWalkers.means()[m][k];
            }
            gz[m] = frozenLogits[m] ? 0 : gData.logits()[m] + gWalkers.logits()[m];
        }
        if (means.requiresGrad()) {
            means.accumulateGrad(Nd4j.create(ga).castTo(DataType.DOUBLE));
        }
        if (logits.requiresGrad()) {
            logits.accumulateGrad(Nd4j.create(gz, new long[] {1, modes}, DataType.DOUBLE));
        }
        return gData.weightedEnergy() + gWalkers.weightedEnergy();
    }

    private void maskFrozenLogits() {
        if (logits.grad() == null) {
            return;
        }
        for (int m = 0; m < modes; m++) {
            if (frozenLogits[m]) {
                logits.grad().putScalar(0, m, 0.0);
            }
        }
    }

    /** log Z = (D/2) log 2π + LSE_m(−z_m), at T = 1. */
    public double logPartition() {
        return 0.5 * dim * Math.log(2 * Math.PI) + LogWeights.logSumExp(negatedLogits());
    }

    /** Mode masses softmax(−z). */
    public double[] modeMasses() {
        return LogWeights.normalize(negatedLogits());
    }

    private double[] negatedLogits() {
        double[] negZ = logitValues();
        for (int m = 0; m < modes; m++) {
            negZ[m] = -negZ[m];
        }
        return negZ;
    }

    /** log ρ(x) = −U(x) − log Z at T = 1. */
    public double[] logDensity(INDArray x) {
        double[] u = energies(x);
        double logZ = logPartition();
        for (int i = 0; i < u.length; i++) {
            u[i] = -u[i] - logZ;
        }
        return u;
    }

    /** n exact samples of ρ at T = 1: a mode by its mass, then a_m + N(0, I). */
    public INDArray sample(int n, Rng rng) {
        double[] masses = modeMasses();
        double[][] a = meanValues();
        double[] out = new double[n * dim];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            int m = 0;
            double c = masses[0];
            while (u >= c && m < modes - 1) {
                c += masses[++m];
            }
            for (int k = 0; k < dim; k++) {
                out[i * dim + k] = a[m][k] + rng.nextGaussian();
            }
        }
        return NativeCopy.of(out, n, dim);
    }

    private record Evaluation(double[] energy, double[] resp) {}

    private Evaluation evaluate(double[] xs, int n) {
        double[] a = NativeCopy.doubles(means.value());
        double[] z = logitValues();
        double[] energy = new double[n];
        double[] resp = new double[n * modes];
        double[] l = new double[modes];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int m = 0; m < modes; m++) {
                double sq = 0;
                for (int k = 0; k < dim; k++) {
                    double diff = xs[i * dim + k] - a[m * dim + k];
                    sq += diff * diff;
                }
                l[m] = -0.5 * sq - z[m];
                max = Math.max(max, l[m]);
            }
            double s = 0;
            for (int m = 0; m < modes; m++) {
                l[m] = Math.exp(l[m] - max); // reused: r_m = exp(l_m − max) / Σ, one exp per mode
                s += l[m];
            }
            energy[i] = -(max + Math.log(s));
            for (int m = 0; m < modes; m++) {
                resp[i * modes + m] = l[m] / s;
            }
        }
        return new Evaluation(energy, resp);
    }
}
