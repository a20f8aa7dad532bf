package org.leantrain.ode;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Progress;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sequential baselines (spec §5): simulate with an ODE solver, differentiate the same F through it, take an Adam
 * step on (θ, x_0). RK4 backprop (fixed step), DOPRI5 backprop (adaptive, steps fixed in the backward pass), and the
 * RK4 continuous adjoint. Full-batch, as the spec's experiments.
 */
public final class SolverBasedTrainer {
    private SolverBasedTrainer() {}

    public enum Method { RK4_BACKPROP, DOPRI5_BACKPROP, RK4_ADJOINT }

    /**
     * @param step RK4 step (also the adjoint's grid); rtol/atol for DOPRI5; snapshotSeconds: also keep the weights of
     *     the first iteration at or past this wall time (for "equal wall time" comparisons; ≤ 0 for none)
     */
    public record Config(Method method, double step, double rtol, double atol, int iterations, double learningRate,
            double lambda, long seed, double snapshotSeconds) {
        public Config {
            if (iterations < 1 || !(learningRate > 0) || !(lambda >= 0) || !(step > 0) || !(rtol > 0) || !(atol > 0)) {
                throw new IllegalArgumentException("baseline config needs iterations ≥ 1, lr > 0, λ ≥ 0, step > 0,"
                        + " rtol, atol > 0; got " + iterations + ", " + learningRate + ", " + lambda + ", " + step
                        + ", " + rtol + ", " + atol);
            }
        }

        public static Config rk4(double h, int iterations, double lr, double lambda, long seed) {
            return new Config(Method.RK4_BACKPROP, h, 1e-6, 1e-8, iterations, lr, lambda, seed, 0);
        }

        public Config withMethod(Method m) {
            return new Config(m, step, rtol, atol, iterations, learningRate, lambda, seed, snapshotSeconds);
        }

        public Config withIterations(int n) {
            return new Config(method, step, rtol, atol, n, learningRate, lambda, seed, snapshotSeconds);
        }

        public Config withSnapshotAt(double seconds) {
            return new Config(method, step, rtol, atol, iterations, learningRate, lambda, seed, seconds);
        }
    }

    public record CurvePoint(int iteration, double seconds, double f) {}

    /** Final weights and F, the F curve, counts, and the snapshot (null when not requested or not reached). */
    public record Result(double[] theta, double[] x0, double f, List<CurvePoint> curve, double seconds, long rhsEvals,
            long vjpEvals, int iterations, double[] snapshotTheta, double[] snapshotX0, String status) {}

    public static Result train(PeNodeModel model, TrainingData data, Config cfg, int[] derivativeOf, String task) {
        TrajectoryLoss loss = new TrajectoryLoss(data, cfg.lambda());
        double[] theta0 = model.net() == null ? new double[0] : model.net().initialWeights(new Rng(cfg.seed()));
        double[] x00 = initialState(model, data, derivativeOf);
        Tensor theta = Tensor.parameter(Nd4j.create(theta0, new long[] {Math.max(1, theta0.length)}, 'c'));
        Tensor x0 = Tensor.parameter(Nd4j.create(x00, new long[] {x00.length}, 'c'));
        Adam adam = Adam.adam(theta0.length == 0 ? List.of(x0) : List.of(theta, x0), cfg.learningRate());
        List<CurvePoint> curve = new ArrayList<>();
        long start = System.nanoTime();
        long rhs = 0;
        long vjp = 0;
        double[] snapTheta = null;
        double[] snapX0 = null;
        String status = "completed";
        Progress progress = new Progress(task, cfg.iterations(), Math.max(1, cfg.iterations() / 10));
        double[] phi = model.phiInit();
        double[] lastTheta = theta0;
        double[] lastX0 = x00;
        int done = 0;
        for (int it = 0; it < cfg.iterations(); it++) {
            double[] th = theta0.length == 0 ? theta0 : theta.value().toDoubleVector();
            double[] xs = x0.value().toDoubleVector();
            ExplicitRkBackprop.Value v = value(model, loss, th, phi, xs, cfg);
            rhs += v.rhsEvals();
            vjp += v.vjpEvals();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!Double.isFinite(v.f())) {
                status = "diverged at iteration " + it + " (the simulation left the finite numbers); kept the last"
                        + " finite weights";
                break;
            }
            curve.add(new CurvePoint(it, seconds, v.f()));
            if (snapTheta == null && cfg.snapshotSeconds() > 0 && seconds >= cfg.snapshotSeconds()) {
                snapTheta = th;
                snapX0 = xs;
            }
            lastTheta = th;
            lastX0 = xs;
            adam.zeroGrad();
            if (theta0.length > 0) {
                theta.accumulateGrad(Nd4j.create(v.gradTheta(), new long[] {th.length}, 'c'));
            }
            x0.accumulateGrad(Nd4j.create(v.gradX0(), new long[] {xs.length}, 'c'));
            adam.step();
            progress.step(it + 1, v.f());
            done = it + 1;
        }
        double[] th = theta0.length == 0 ? theta0 : theta.value().toDoubleVector();
        double[] xs = x0.value().toDoubleVector();
        ExplicitRkBackprop.Value last = value(model, loss, th, phi, xs, cfg);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (Double.isFinite(last.f())) {
            lastTheta = th;
            lastX0 = xs;
            curve.add(new CurvePoint(done, seconds, last.f()));
        }
        double f = curve.isEmpty() ? Double.NaN : curve.get(curve.size() - 1).f();
        return new Result(lastTheta, lastX0, f, curve, seconds, rhs, vjp, done, snapTheta, snapX0, status);
    }

    private static ExplicitRkBackprop.Value value(PeNodeModel model, TrajectoryLoss loss, double[] theta,
            double[] phi, double[] x0, Config cfg) {
        return switch (cfg.method()) {
            case RK4_BACKPROP -> ExplicitRkBackprop.rk4(model, loss, theta, phi, x0, cfg.step());
            case DOPRI5_BACKPROP -> ExplicitRkBackprop.dopri5(model, loss, theta, phi, x0, cfg.rtol(), cfg.atol());
            case RK4_ADJOINT -> Rk4Adjoint.gradient(model, loss, theta, phi, x0, cfg.step());
        };
    }

    /** x_0 from the first observation, unobserved states from the derivative rule (else 0). */
    static double[] initialState(PeNodeModel model, TrainingData data, int[] derivativeOf) {
        int nx = model.stateDim();
        double[] x0 = new double[nx];
        int[] obs = data.observedStates();
        for (int o = 0; o < obs.length; o++) {
            x0[obs[o]] = data.obs()[0][o];
        }
        if (derivativeOf != null) {
            for (int k = 0; k < nx; k++) {
                int j = derivativeOf[k];
                int o = indexOf(obs, j);
                if (j >= 0 && indexOf(obs, k) < 0 && o >= 0) {
                    double[] series = new double[data.size()];
                    for (int d = 0; d < data.size(); d++) {
                        series[d] = data.obs()[d][o];
                    }
                    x0[k] = CollocationTrainer.smoothedDerivative(data.times(), series)[0];
                }
            }
        }
        return x0;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
