package org.leantrain.layerselect;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An immutable symmetric n×n matrix of pairwise distances in double, zero on the diagonal. */
public final class DistanceMatrix {
    /** Above this the edge and triangle indices and the O(n²)…O(n³) cost stop being sensible for this engine. */
    public static final int MAX_POINTS = 2000;

    private final int n;
    private final double[] d; // row-major n×n

    private DistanceMatrix(int n, double[] d) {
        this.n = n;
        this.d = d;
    }

    public int size() {
        return n;
    }

    public double get(int i, int j) {
        return d[i * n + j];
    }

    /** Row-major backing values, shared with the engine (never mutated). */
    double[] values() {
        return d;
    }

    /** r_enc = min_i max_j d_ij: beyond it the Rips complex is a cone (spec §2). */
    public double enclosingRadius() {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double far = 0;
            for (int j = 0; j < n; j++) {
                far = Math.max(far, d[i * n + j]);
            }
            best = Math.min(best, far);
        }
        return best;
    }

    /** Validates and copies a full distance matrix (spec §9). */
    public static DistanceMatrix of(double[][] matrix) {
        int n = checkCount(matrix.length, "distance matrix");
        double max = 0;
        for (int i = 0; i < n; i++) {
            if (matrix[i] == null || matrix[i].length != n) {
                throw new IllegalArgumentException("distance matrix must be square: row " + i + " has "
                        + (matrix[i] == null ? 0 : matrix[i].length) + " entries for " + n + " rows");
            }
            for (int j = 0; j < n; j++) {
                double v = matrix[i][j];
                if (!Double.isFinite(v) || v < 0) {
                    throw new IllegalArgumentException("distance matrix entry (" + i + ", " + j + ") is " + v
                            + "; distances must be finite and >= 0");
                }
                max = Math.max(max, v);
            }
            if (matrix[i][i] != 0) {
                throw new IllegalArgumentException("distance matrix diagonal must be 0, entry (" + i + ", " + i
                        + ") is " + matrix[i][i]);
            }
        }
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (Math.abs(matrix[i][j] - matrix[j][i]) > 1e-12 * max) {
                    throw new IllegalArgumentException("distance matrix is not symmetric: (" + i + ", " + j + ") = "
                            + matrix[i][j] + " but (" + j + ", " + i + ") = " + matrix[j][i]);
                }
                d[i * n + j] = i < j ? matrix[i][j] : matrix[j][i]; // exactly symmetric
            }
        }
        return new DistanceMatrix(n, d);
    }

    /** Euclidean distances between the rows of pts, computed directly from coordinate differences. */
    public static DistanceMatrix fromPoints(double[][] pts) {
        int n = checkCount(pts.length, "point cloud");
        int dim = checkRows(pts);
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double s = 0;
                for (int c = 0; c < dim; c++) {
                    double diff = pts[i][c] - pts[j][c];
                    s += diff * diff;
                }
                d[i * n + j] = d[j * n + i] = Math.sqrt(s);
            }
        }
        return new DistanceMatrix(n, d);
    }

    /**
     * Distances between the rows of a [B, m] activation batch through the centred Gram matrix in double (spec §2):
     * q_i = p_i − mean, G = Q Qᵀ, D²_ij = G_ii + G_jj − 2 G_ij clamped at 0; where cancellation makes D² tiny
     * relative to G_ii + G_jj the distance is recomputed from the difference of the two rows.
     */
    public static DistanceMatrix fromActivations(INDArray batchByFeatures) {
        if (batchByFeatures.rank() != 2) {
            throw new IllegalArgumentException("activations must be [batch, features], got shape "
                    + java.util.Arrays.toString(batchByFeatures.shape()));
        }
        int n = checkCount((int) batchByFeatures.size(0), "activation batch");
        INDArray q = batchByFeatures.castTo(DataType.DOUBLE).dup('c');
        if (q.isNaN().any() || q.isInfinite().any()) {
            throw new IllegalArgumentException("activation batch holds NaN or infinite values");
        }
        q.subiRowVector(q.mean(0));
        double[] g = q.mmul(q.transpose()).dup('c').data().asDouble();
        double[][] rows = null;
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double gii = g[i * n + i];
                double gjj = g[j * n + j];
                double sq = Math.max(0, gii + gjj - 2 * g[i * n + j]);
                if (sq < 1e-8 * (gii + gjj)) {
                    if (rows == null) {
                        rows = q.toDoubleMatrix();
                    }
                    sq = squaredDistance(rows[i], rows[j]);
                }
                d[i * n + j] = d[j * n + i] = Math.sqrt(sq);
            }
        }
        return new DistanceMatrix(n, d);
    }

    private static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int c = 0; c < a.length; c++) {
            double diff = a[c] - b[c];
            s += diff * diff;
        }
        return s;
    }

    private static int checkCount(int n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (n > MAX_POINTS) {
            throw new IllegalArgumentException(what + " has " + n + " points; this engine takes at most " + MAX_POINTS
                    + " (triangle indices and O(n^3) work grow too large): subsample the points");
        }
        return n;
    }

    private static int checkRows(double[][] pts) {
        int dim = pts[0] == null ? 0 : pts[0].length;
        for (int i = 0; i < pts.length; i++) {
            if (pts[i] == null || pts[i].length != dim) {
                throw new IllegalArgumentException("point cloud rows are ragged: row 0 has " + dim
                        + " coordinates, row " + i + " has " + (pts[i] == null ? 0 : pts[i].length));
            }
            for (int c = 0; c < dim; c++) {
                if (!Double.isFinite(pts[i][c])) {
                    throw new IllegalArgumentException("point " + i + " coordinate " + c + " is " + pts[i][c]
                            + "; point clouds must be finite");
                }
            }
        }
        if (dim == 0) {
            throw new IllegalArgumentException("points have no coordinates");
        }
        return dim;
    }
}
