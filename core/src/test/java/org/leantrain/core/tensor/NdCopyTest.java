package org.leantrain.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The bulk copies between ND4J arrays and Java arrays: c order for dense arrays, views and f-order arrays. */
class NdCopyTest {
    @Test
    void floatsAndDoublesRoundTripInCOrder() {
        INDArray f = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Nd.floats(f));
        Nd.setFloats(f, new float[] {6, 5, 4, 3, 2, 1});
        assertEquals(4f, f.getFloat(0, 2));
        INDArray d = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});
        assertArrayEquals(new double[] {1, 2, 3, 4}, Nd.doubles(d));
        Nd.setDoubles(d, new double[] {-1, -2, -3, -4});
        assertEquals(-3.0, d.getDouble(1, 0));
    }

    @Test
    void viewsAndFortranOrderReadAndWriteTheirOwnElements() {
        INDArray base = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
        INDArray row = base.getRow(1);
        assertArrayEquals(new double[] {4, 5, 6}, Nd.doubles(row));
        Nd.setDoubles(row, new double[] {40, 50, 60});
        assertArrayEquals(new double[] {1, 2, 3, 40, 50, 60, 7, 8, 9}, Nd.doubles(base));
        INDArray column = base.getColumn(2);
        assertArrayEquals(new double[] {3, 60, 9}, Nd.doubles(column));
        INDArray fortran = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}}).dup('f');
        assertArrayEquals(new float[] {1, 2, 3, 4}, Nd.floats(fortran));
        Nd.setFloats(fortran, new float[] {5, 6, 7, 8});
        assertEquals(6f, fortran.getFloat(0, 1));
        assertEquals(7f, fortran.getFloat(1, 0));
    }

    @Test
    void rowsAreReadInTheGivenOrderWithRepeats() {
        INDArray d = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        assertArrayEquals(new double[] {5, 6, 1, 2, 5, 6}, Nd.doubleRows(d, new int[] {2, 0, 2}));
        INDArray f = d.castTo(DataType.FLOAT).dup('f');
        assertArrayEquals(new float[] {3, 4}, Nd.floatRows(f, new int[] {1}));
    }

    @Test
    void broadcastToWritesARowIntoEveryRow() {
        INDArray small = Nd.broadcastTo(Nd4j.createFromArray(1f, 2f), new long[] {3, 2});
        assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2}, Nd.floats(small));
        INDArray wide = Nd.broadcastTo(Nd4j.createFromArray(1.0, 2.0, 3.0), new long[] {2, 3});
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, Nd.doubles(wide));
        assertThrows(IllegalArgumentException.class, () -> Nd.broadcastTo(Nd4j.createFromArray(1f, 2f, 3f),
                new long[] {3, 2}));
    }

    @Test
    void broadcastToRepeatsAlongEveryBroadcastDimension() {
        long[][][] cases = {
            {{1, 4}, {3, 4}}, {{3, 1}, {3, 4}}, {{4}, {2, 3, 4}}, {{2, 1, 4}, {2, 3, 4}}, {{1, 3, 1}, {2, 3, 4}},
            {{}, {2, 3}}, {{2, 1, 1}, {2, 2, 3}}};
        for (long[][] c : cases) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                long n = 1;
                for (long d : c[0]) {
                    n *= d;
                }
                INDArray x = Nd4j.linspace(DataType.DOUBLE, 1, n, n).reshape(c[0]).castTo(type);
                INDArray z = Nd.broadcastTo(x, c[1]);
                assertArrayEquals(c[1], z.shape());
                for (long i = 0; i < z.length(); i++) { // the element z[…] equals x at the index with broadcast dims 0
                    long[] at = org.nd4j.linalg.api.shape.Shape.ind2subC(z, i);
                    long[] from = new long[c[0].length];
                    for (int d = 0; d < from.length; d++) {
                        from[d] = c[0][d] == 1 ? 0 : at[at.length - from.length + d];
                    }
                    double want = from.length == 0 ? x.getDouble(0) : x.getDouble(from);
                    assertEquals(want, z.getDouble(at), 0, java.util.Arrays.toString(c[0]) + " -> "
                            + java.util.Arrays.toString(c[1]) + " at " + java.util.Arrays.toString(at));
                }
            }
        }
    }

    @Test
    void wrongTypeOrLengthIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Nd.floats(Nd4j.zeros(DataType.DOUBLE, 2)));
        assertThrows(IllegalArgumentException.class, () -> Nd.setDoubles(Nd4j.zeros(DataType.DOUBLE, 2),
                new double[3]));
    }
}
