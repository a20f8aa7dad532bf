package org.leantrain.ode;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between ND4J matrices and double[][] in one bulk transfer (ND4J's toDoubleMatrix and create(double[][])
 * go row by row through views and cost more than the products they feed here).
 */
final class Matrices {
    private Matrices() {}

    static double[][] toRows(INDArray a) {
        INDArray c = a.dataType() == DataType.DOUBLE ? a.dup('c') : a.castTo(DataType.DOUBLE).dup('c');
        double[] flat = c.data().asDouble();
        int rows = (int) a.size(0);
        int cols = (int) (a.length() / Math.max(1, rows));
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, out[i], 0, cols);
        }
        return out;
    }

    static double[] toFlat(INDArray a) {
        return (a.dataType() == DataType.DOUBLE ? a.dup('c') : a.castTo(DataType.DOUBLE).dup('c')).data().asDouble();
    }

    static INDArray fromRows(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return Nd4j.create(flat, new long[] {rows.length, cols}, 'c');
    }
}
