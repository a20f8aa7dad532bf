package org.leantrain.sde;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reparameterised Euler–Maruyama ELBO (spec §2.2): per path
 * ℓ = Σ_i log N(O_i; H X_{k_i}, R) − Σ_k ½Δt‖u_k‖², with X_{k+1} = X_k + (b(X_k) + σu_k)Δt + σ√Δt ξ_k. Gradients
 * flow through the states (pathwise), the control and learned prior parameters; the log-likelihood uses R's Cholesky
 * factor. The KL uses the total control.
 */
public final class ElboEstimator {
    /** Per-path values [M, 1]: ELBO = log-likelihood − KL. */
    public record Result(Tensor elbo, Tensor kl, Tensor logLikelihood) {
        public double meanElbo() {
            return elbo.value().meanNumber().doubleValue();
        }
    }

    private final Drift drift;
    private final Diffusion diffusion;
    private final Observations obs;
    private final TimeGrid grid;
    private final double[] x0;
    private final int[] observedAt; // observation index per grid index, −1 if none
    private final Tensor sigmaT;
    private final Tensor hT;
    private final Tensor whitenT; // L⁻ᵀ with R = L Lᵀ
    private final double logNormConst;
    private final List<Tensor> values = new ArrayList<>();

    public ElboEstimator(Drift drift, Diffusion diffusion, Observations obs, TimeGrid grid, double[] x0) {
        if (diffusion.stateDim() != obs.stateDim() || x0.length != obs.stateDim()) {
            throw new IllegalArgumentException("dimensions disagree: sigma has " + diffusion.stateDim() + " rows, H has "
                    + obs.stateDim() + " columns, x0 has " + x0.length + " entries");
        }
        Mat.requireFinite(x0, "x0");
        this.drift = drift;
        this.diffusion = diffusion;
        this.obs = obs;
        this.grid = grid;
        this.x0 = x0.clone();
        this.observedAt = obs.observationAtStep(grid);
        this.sigmaT = Tensor.of(Nd4j.createFromArray(Mat.transpose(diffusion.matrix())));
        this.hT = Tensor.of(Nd4j.createFromArray(Mat.transpose(obs.h())));
        double[][] l = Mat.cholesky(obs.r());
        this.whitenT = Tensor.of(Nd4j.createFromArray(Mat.transpose(Mat.lowerInverse(l))));
        double logDiag = 0;
        for (int i = 0; i < l.length; i++) {
            logDiag += Math.log(l[i][i]);
        }
        this.logNormConst = -logDiag - 0.5 * obs.dim() * Math.log(2 * Math.PI);
        for (double[] o : obs.values()) {
            values.add(Tensor.of(Nd4j.createFromArray(new double[][] {o})));
        }
    }

    /** Standard normal noise ξ for M paths: K arrays [M, d_w]. */
    public INDArray[] noise(int paths, Rng rng) {
        if (paths < 1) {
            throw new IllegalArgumentException("paths M must be >= 1, got " + paths);
        }
        INDArray[] xi = new INDArray[grid.steps()];
        for (int k = 0; k < xi.length; k++) {
            xi[k] = rng.normal(DataType.DOUBLE, 0, 1, paths, diffusion.noiseDim());
        }
        return xi;
    }

    /**
     * The ELBO per path. With an {@link ExplicitDrift} and one of this module's controls it runs as one fused autograd
     * function ({@link FusedRollout}); otherwise op by op on the tape ({@link #elboOnTape}). Both agree to rounding.
     */
    public Result elbo(Control control, INDArray[] noise) {
        checkNoise(noise);
        if (drift instanceof ExplicitDrift explicit) {
            FusedRollout fused = null;
            if (control instanceof NeuralControl nn) {
                fused = fused(explicit, null, nn, noise);
            } else if (control instanceof HybridControl h) {
                fused = fused(explicit, h.linear(), h.residual(), noise);
            } else if (control instanceof LinearOnlyControl l) {
                fused = fused(explicit, l.linear(), null, noise);
            }
            if (fused != null) {
                Tensor[] out = fused.apply(fused.inputs());
                return new Result(out[0], out[1], out[2]);
            }
        }
        return elboOnTape(control, noise);
    }

    private FusedRollout fused(ExplicitDrift explicit, LinearControl linear, NeuralControl network, INDArray[] noise) {
        return new FusedRollout(explicit, diffusion, obs, grid, x0, observedAt, linear, network, noise);
    }

    private void checkNoise(INDArray[] noise) {
        if (noise.length != grid.steps()) {
            throw new IllegalArgumentException("noise has " + noise.length + " steps, the grid " + grid.steps());
        }
    }

    /** Posterior sample paths under a control: the first state coordinate at every grid point, [M][K + 1]. */
    public double[][] paths(Control control, INDArray[] noise) {
        checkNoise(noise);
        int m = (int) noise[0].size(0);
        double[][] out = new double[m][grid.steps() + 1];
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor x = startStates(m);
            for (int k = 0; k <= grid.steps(); k++) {
                double[] first = x.value().getColumn(0).dup().data().asDouble();
                for (int p = 0; p < m; p++) {
                    out[p][k] = first[p];
                }
                if (k == grid.steps()) {
                    break;
                }
                double t = grid.time(k);
                Tensor u = control.u(x, k, t);
                x = eulerStep(x, u, t, noise[k]);
            }
        }
        return out;
    }

    /** x0 for every path, [M, d]. */
    private Tensor startStates(int paths) {
        return Tensor.of(Nd4j.createFromArray(new double[][] {x0}).repeat(0, paths));
    }

    /** X + (b(X, t) + σu)Δt + σ√Δt ξ on the tape (the noise term is a constant). */
    private Tensor eulerStep(Tensor x, Tensor u, double t, INDArray xi) {
        double dt = grid.dt();
        Tensor noiseStep = Tensor.of(xi.mmul(sigmaT.value()).muli(Math.sqrt(dt)));
        return x.add(drift.eval(x, t).add(u.matmul(sigmaT)).mul(dt)).add(noiseStep);
    }

    /** The reference: the same rollout op by op on the tape, for any drift and control. */
    public Result elboOnTape(Control control, INDArray[] noise) {
        checkNoise(noise);
        int paths = (int) noise[0].size(0);
        double dt = grid.dt();
        Tensor x = startStates(paths);
        Tensor[] controls = new Tensor[grid.steps()];
        Tensor loglik = null;
        for (int k = 0; k < grid.steps(); k++) {
            double t = grid.time(k);
            Tensor u = control.u(x, k, t);
            controls[k] = u;
            x = eulerStep(x, u, t, noise[k]);
            int i = observedAt[k + 1];
            if (i >= 0) {
                Tensor z = values.get(i).sub(x.matmul(hT)).matmul(whitenT); // L⁻¹(O − H X) per row
                Tensor term = z.square().sum(true, 1).mul(-0.5).add(logNormConst);
                loglik = loglik == null ? term : loglik.add(term);
            }
        }
        Tensor kl = Tensor.concat(1, controls).square().sum(true, 1).mul(0.5 * dt);
        return new Result(loglik.sub(kl), kl, loglik);
    }
}
