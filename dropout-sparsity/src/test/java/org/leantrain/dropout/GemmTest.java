package org.leantrain.dropout;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The direct BLAS call agrees with ND4J's product for every transpose, on views with offsets, and leaves the rest. */
class GemmTest {

    @Test
    void everyTransposeIntoAViewInFloatAndDouble() {
        Rng rng = new Rng(1);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    // operands are slices of 3-d arrays, so their data starts at an offset
                    INDArray a = rng.normal(type, 0, 1, 3, ta ? 4 : 5, ta ? 5 : 4).slice(1);
                    INDArray b = rng.normal(type, 0, 1, 2, tb ? 6 : 4, tb ? 4 : 6).slice(1);
                    INDArray c = rng.normal(type, 0, 1, 3, 5, 6);
                    INDArray before = c.dup();
                    INDArray expected = Nd4j.gemm(a, b, ta, tb).muli(0.5).addi(before.slice(2).mul(2));
                    Gemm.multiply(a, ta, b, tb, c.slice(2), 0.5, 2.0);
                    double tol = type == DataType.FLOAT ? 1e-5 : 1e-12;
                    assertTrue(expected.equalsWithEps(c.slice(2), tol), type + " transA " + ta + " transB " + tb);
                    assertTrue(before.slice(0).equals(c.slice(0)) && before.slice(1).equals(c.slice(1)),
                            "rows outside the output view are untouched");
                }
            }
        }
    }

    @Test
    void mismatchedShapesAreRefused() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 3, 4);
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.multiply(a, false, a, false, Nd4j.zeros(DataType.FLOAT, 3, 4), 1, 0));
    }
}
