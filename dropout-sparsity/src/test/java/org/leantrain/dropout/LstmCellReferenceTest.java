package org.leantrain.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Spec §6 test 1: the hand-written LSTM layer against values from PyTorch 1.13 nn.LSTMCell in float64. */
class LstmCellReferenceTest {
    private static final double TOL = 1e-12;

    @Test
    void twoStepsAndGradientsMatchPyTorch() {
        LstmLayer layer = new LstmLayer(3, 2, DataType.DOUBLE, new Rng(0));
        Map<String, Tensor> p = layer.namedParameters();
        INDArray wihT = p.get("weight_ih_t").value();
        INDArray whhT = p.get("weight_hh_t").value();
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 3; c++) {
                wihT.putScalar(c, r, 0.1 * Math.sin(r + 2 * c + 1));
            }
            for (int c = 0; c < 2; c++) {
                whhT.putScalar(c, r, 0.1 * Math.cos(r + 3 * c + 1));
            }
            p.get("bias").value().putScalar(r, 0.01 * r);
        }
        // Feature-major inputs [T = 2, I = 3, B = 1].
        Tensor x = Tensor.parameter(Nd4j.createFromArray(new double[][][] {{{0.5}, {-1}, {2}}, {{1}, {0}, {-0.5}}}));
        Tensor zero = Tensor.zeros(DataType.DOUBLE, 2, 1);
        LstmLayer.Output out = layer.forward(x, DropoutPlan.none(1), 0, zero, zero);
        INDArray h = out.hiddenStates().value();
        assertVector(new double[] {0.0018660523267108099, -0.04545914547889602}, h.slice(0));
        assertVector(new double[] {-0.020887857957471796, -0.007491554765178234}, h.slice(1));
        assertVector(new double[] {-0.03835971913029768, -0.013652294337618054}, out.c().value());
        assertVector(new double[] {0.004030566179163482, -0.08821937424020997}, cellAfterOneStep(layer));
        out.hiddenStates().slice(0, 1, 2).sum().backward();
        assertVector(new double[] {-0.0169563556207867, 0.02168554139938647, -0.0010923832835468394},
                x.grad().slice(0));
        assertEquals(-0.009926217797551389, p.get("weight_ih_t").grad().getDouble(0, 0), TOL);
        assertEquals(-0.013140488101955405, p.get("weight_hh_t").grad().getDouble(1, 5), TOL);
    }

    /** c after step 1: the layer run on x_1 alone. */
    private static INDArray cellAfterOneStep(LstmLayer layer) {
        Tensor x1 = Tensor.of(Nd4j.createFromArray(new double[][][] {{{0.5}, {-1}, {2}}}));
        Tensor zero = Tensor.zeros(DataType.DOUBLE, 2, 1);
        return layer.forward(x1, DropoutPlan.none(1), 0, zero, zero).c().value();
    }

    private static void assertVector(double[] expected, INDArray actual) {
        double[] values = actual.dup().reshape(actual.length()).toDoubleVector();
        assertEquals(expected.length, values.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], values[i], TOL, "element " + i);
        }
    }
}
