package org.leantrain.ebm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Spec §6 tests 1–3: the stable kernel ratio and the increment vectors. */
class UlaKernelTest {

    @Test
    void stableRatioEqualsNaiveKernelDifference() {
        Rng rng = new Rng(1);
        for (double h : new double[] {1e-3, 0.5}) {
            for (double t : new double[] {1, 1e-4}) {
                UlaKernel kernel = new UlaKernel(new UlaConfig(h, t));
                INDArray x = rng.normal(DataType.DOUBLE, 0, 1, 100, 7);
                INDArray gx = rng.normal(DataType.DOUBLE, 0, 1, 100, 7);
                INDArray gy = rng.normal(DataType.DOUBLE, 0, 1, 100, 7);
                INDArray xi = rng.normal(DataType.DOUBLE, 0, 1, 100, 7);
                INDArray y = kernel.move(x, gx, xi);
                double[] stable = kernel.logKernelRatio(xi, gx, gy);
                double[] forward = UlaKernel.logForwardKernel(xi);
                for (int i = 0; i < 100; i++) {
                    INDArray back = x.getRow(i).sub(y.getRow(i)).add(gy.getRow(i).mul(h));
                    INDArray fwd = y.getRow(i).sub(x.getRow(i)).add(gx.getRow(i).mul(h));
                    double logQBack = -back.mul(back).sumNumber().doubleValue() / (4 * h * t);
                    double logQFwd = -fwd.mul(fwd).sumNumber().doubleValue() / (4 * h * t);
                    double naive = logQBack - logQFwd;
                    assertEquals(naive, stable[i], 1e-10 * Math.max(1, Math.abs(naive)), "h=" + h + " T=" + t);
                    assertEquals(logQFwd, forward[i], 1e-12 * Math.max(1, Math.abs(logQFwd)), "forward term");
                }
            }
        }
    }

    @Test
    void float32InputsSumInDouble() {
        Rng rng = new Rng(3);
        INDArray xi = rng.normal(DataType.FLOAT, 0, 1, 16, 300);
        INDArray gx = rng.normal(DataType.FLOAT, 0, 50, 16, 300);
        INDArray gy = rng.normal(DataType.FLOAT, 0, 50, 16, 300);
        double[] fromFloats = UlaKernel.logKernelRatio(xi, gx, gy, 5e-5, 1e-4);
        double[] fromDoubles = UlaKernel.logKernelRatio(xi.castTo(DataType.DOUBLE), gx.castTo(DataType.DOUBLE),
                gy.castTo(DataType.DOUBLE), 5e-5, 1e-4);
        for (int i = 0; i < 16; i++) {
            assertEquals(fromDoubles[i], fromFloats[i], 1e-12 * Math.abs(fromDoubles[i]));
        }
    }

    /** U_θ(x) = (x − θ)²/2, x = 0.3 → y = 0.1, θ: 0 → 0.2, h = 0.1: α-form increment 0.022. */
    @Test
    void oneDimensionalIncrementMatchesAlphaForm() {
        double h = 0.1;
        double x = 0.3;
        double y = 0.1;
        double gx = x - 0.0;
        double gy = y - 0.2;
        double uX = (x - 0.0) * (x - 0.0) / 2;
        double uY = (y - 0.2) * (y - 0.2) / 2;
        double alphaK = uX + 0.5 * (y - x) * gx + h / 4 * gx * gx;
        double alphaK1 = uY + 0.5 * (x - y) * gy + h / 4 * gy * gy;
        assertEquals(0.022, alphaK - alphaK1, 1e-12);

        double xi = (y - x + h * gx) / Math.sqrt(2 * h);
        double ratio = UlaKernel.logKernelRatio(Nd4j.create(new double[][] {{xi}}), Nd4j.create(new double[][] {{gx}}),
                Nd4j.create(new double[][] {{gy}}), h, 1)[0];
        assertEquals(0.022, uX - uY + ratio, 1e-12);
    }

    /** The GMM increment vector of spec §6 test 3 (numpy float64 reference values). */
    @Test
    void gaussianMixtureIncrementMatchesReference() {
        GaussianMixtureEnergy before = GaussianMixtureEnergy.withFirstLogitFrozen(
                new double[][] {{-1, 0}, {2, 1}}, new double[] {0, -0.5});
        GaussianMixtureEnergy after = GaussianMixtureEnergy.withFirstLogitFrozen(
                new double[][] {{-0.9, 0.1}, {2.1, 0.9}}, new double[] {0, -0.4});
        INDArray x = Nd4j.create(new double[][] {{0.5, -0.2}});
        INDArray xi = Nd4j.create(new double[][] {{0.3, -1.1}});
        UlaKernel kernel = new UlaKernel(new UlaConfig(0.05, 1));

        EnergyGrad atX = before.energyAndGrad(x);
        assertEquals(0.5468611306184081, atX.energy()[0], 1e-12);
        assertArray(new double[] {0.14950199193743363, -0.6501660026875221}, atX.grad(), 1e-12);
        double[][] r = before.responsibilities(x);
        assertEquals(0.5498339973124778, r[0][0], 1e-12);
        assertEquals(0.4501660026875221, r[0][1], 1e-12);

        INDArray y = kernel.move(x, atX.grad(), xi);
        assertArray(new double[] {0.5873932302081797, -0.5153422424841456}, y, 1e-12);
        EnergyGrad atY = after.energyAndGrad(y);
        assertEquals(0.8022800414345111, atY.energy()[0], 1e-12);
        assertArray(new double[] {0.3193780531099383, -0.92681295637701}, atY.grad(), 1e-12);

        double deltaA = atX.energy()[0] - atY.energy()[0] + kernel.logKernelRatio(xi, atX.grad(), atY.grad())[0];
        assertEquals(0.00726462668977379, deltaA, 1e-12);

        double[][] dA = before.parameterGradient(x, new double[] {1}).means();
        assertEquals(-0.8247509959687167, dA[0][0], 1e-12);
        assertEquals(0.10996679946249557, dA[0][1], 1e-12);
        assertEquals(0.6752490040312832, dA[1][0], 1e-12);
        assertEquals(0.5401992032250265, dA[1][1], 1e-12);
        assertEquals(2.811954050589452, before.logPartition(), 1e-12);
    }

    private static void assertArray(double[] expected, INDArray actual, double tol) {
        double[] a = actual.reshape(actual.length()).toDoubleVector();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], a[i], tol, "element " + i);
        }
    }
}
