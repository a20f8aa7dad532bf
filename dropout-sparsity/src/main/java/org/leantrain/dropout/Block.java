package org.leantrain.dropout;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A row-major matrix inside a c-contiguous array, addressed by an element offset instead of an ND4J view: making
 * a view ({@code slice}) costs ~13 µs in ND4J, and an LSTM step made about ten per layer and time step.
 *
 * @param array  c-contiguous array that holds the matrix (a view with an offset of its own is fine)
 * @param offset first element, counted from the array's first element
 */
record Block(INDArray array, long offset, int rows, int cols) {

    /** A whole c-contiguous 2-D matrix. */
    static Block of(INDArray matrix) {
        INDArray m = Rows.contiguous(matrix);
        return new Block(m, 0, Math.toIntExact(m.size(0)), Math.toIntExact(m.size(1)));
    }

    /** Step t of a c-contiguous [T, rows, cols] array. */
    static Block step(INDArray tensor, int t) {
        int rows = Math.toIntExact(tensor.size(1));
        int cols = Math.toIntExact(tensor.size(2));
        return new Block(tensor, (long) t * rows * cols, rows, cols);
    }

    int length() {
        return rows * cols;
    }

    /** The same matrix as an ND4J view, for the paths that need one (fallbacks on other backends). */
    INDArray view() {
        return array.reshape(array.length()).get(NDArrayIndex.interval(offset, offset + length())).reshape(rows, cols);
    }
}
