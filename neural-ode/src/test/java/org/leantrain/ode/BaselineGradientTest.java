package org.leantrain.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.Autograd;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Spec §6 test 9: baseline gradients against the tape, central differences, and adjoint against backprop. */
class BaselineGradientTest {
    private static final PeNodeModel MODEL = VanDerPol.model(8, 8);
    private static final TrainingData DATA = VanDerPol.data(2, 0.05, 1);

    private static double[] theta() {
        Rng rng = new Rng(4);
        double[] t = new double[MODEL.thetaDim()];
        for (int i = 0; i < t.length; i++) {
            t[i] = 0.3 * rng.nextGaussian();
        }
        return t;
    }

    @Test
    void fusedRk4GradientEqualsTheTapeThroughEveryStage() {
        double[] theta = theta();
        double[] x0 = {0.1, 0.9};
        TrajectoryLoss loss = new TrajectoryLoss(DATA, 1e-3);
        ExplicitRkBackprop.Value fused = ExplicitRkBackprop.rk4(MODEL, loss, theta, new double[0], x0, 0.05);

        Tensor th = Tensor.parameter(Nd4j.create(theta, new long[] {theta.length}, 'c'));
        Tensor x = Tensor.parameter(Nd4j.create(x0, new long[] {1, 2}, 'c'));
        Tensor x0t = x;
        Tensor f = th.square().sum().mul(0.5e-3);
        double[] times = DATA.times();
        f = f.add(dataTerm(x, 0));
        double h = 0.05;
        for (int d = 1; d < times.length; d++) {
            int n = (int) Math.ceil((times[d] - times[d - 1]) / h - 1e-9);
            double hs = (times[d] - times[d - 1]) / n;
            for (int s = 0; s < n; s++) {
                Tensor k1 = rhs(x, th);
                Tensor k2 = rhs(x.add(k1.mul(hs / 2)), th);
                Tensor k3 = rhs(x.add(k2.mul(hs / 2)), th);
                Tensor k4 = rhs(x.add(k3.mul(hs)), th);
                x = x.add(k1.add(k2.mul(2)).add(k3.mul(2)).add(k4).mul(hs / 6));
            }
            f = f.add(dataTerm(x, d));
        }
        assertEquals(f.item(), fused.f(), 1e-12);
        INDArray[] g = Autograd.grad(f, th, x0t);
        for (int i = 0; i < theta.length; i++) {
            assertEquals(g[0].getDouble(i), fused.gradTheta()[i], 1e-10, "θ_" + i);
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(g[1].getDouble(0, i), fused.gradX0()[i], 1e-10, "x0_" + i);
        }
    }

    private static Tensor rhs(Tensor x, Tensor theta) {
        Tensor t = Tensor.zeros(DataType.DOUBLE, 1, 1);
        return MODEL.physics().rhs(x, t, t, t, MODEL.net().forward(x, theta));
    }

    private static Tensor dataTerm(Tensor x, int d) {
        Tensor target = Tensor.of(Nd4j.create(DATA.obs()[d], new long[] {1, 2}, 'c'));
        return x.sub(target).square().sum().mul(0.5 / DATA.size());
    }

    @Test
    void rk4AndDopri5GradientsMatchCentralDifferences() {
        double[] theta = theta();
        double[] x0 = {0.1, 0.9};
        TrajectoryLoss loss = new TrajectoryLoss(DATA, 1e-3);
        for (boolean dopri : new boolean[] {false, true}) {
            java.util.function.Function<double[], ExplicitRkBackprop.Value> eval = th -> dopri
                    ? ExplicitRkBackprop.dopri5(MODEL, loss, th, new double[0], x0, 1e-6, 1e-8)
                    : ExplicitRkBackprop.rk4(MODEL, loss, th, new double[0], x0, 0.1);
            double[] g = eval.apply(theta).gradTheta();
            double worst = 0;
            double scale = 0;
            for (double v : g) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < theta.length; i += 7) {
                double[] tp = theta.clone();
                double[] tm = theta.clone();
                tp[i] += 1e-6;
                tm[i] -= 1e-6;
                double fd = (eval.apply(tp).f() - eval.apply(tm).f()) / 2e-6;
                worst = Math.max(worst, Math.abs(fd - g[i]) / Math.max(Math.abs(g[i]), 1e-3 * scale));
            }
            // DOPRI5's step sizes depend on θ; its gradient holds them fixed, so differences may see a jump.
            assertTrue(worst < (dopri ? 1e-4 : 1e-6), (dopri ? "DOPRI5" : "RK4") + " max relative error " + worst);
        }
    }

    @Test
    void adjointApproachesBackpropWhenTheStepHalves() {
        double[] theta = theta();
        double[] x0 = {0.1, 0.9};
        TrajectoryLoss loss = new TrajectoryLoss(DATA, 1e-3);
        double[] diffs = new double[2];
        double[] steps = {0.01, 0.005};
        for (int k = 0; k < 2; k++) {
            double[] bp = ExplicitRkBackprop.rk4(MODEL, loss, theta, new double[0], x0, steps[k]).gradTheta();
            double[] adj = Rk4Adjoint.gradient(MODEL, loss, theta, new double[0], x0, steps[k]).gradTheta();
            double num = 0;
            double den = 0;
            for (int i = 0; i < bp.length; i++) {
                num += (bp[i] - adj[i]) * (bp[i] - adj[i]);
                den += bp[i] * bp[i];
            }
            diffs[k] = Math.sqrt(num / den);
        }
        assertTrue(diffs[0] < 1e-3, "relative difference at h = 0.01: " + diffs[0]);
        assertTrue(diffs[0] / diffs[1] >= 8, "shrinks " + diffs[0] / diffs[1] + "× when h halves");
    }
}
