package org.leantrain.layerselect;

import java.util.Arrays;

/**
 * A binary min-heap of triangle keys (diameter ascending, index descending): the working coboundary column of
 * spec §3D.3b. Equal keys are the same triangle, so popping them in pairs is the Z/2 sum.
 */
final class TriangleHeap {
    private double[] diam = new double[64];
    private long[] idx = new long[64];
    private int size;
    private double pivotDiameter;
    private long pivotIndex;

    void clear() {
        size = 0;
    }

    void push(double diameter, long index) {
        if (size == diam.length) {
            diam = Arrays.copyOf(diam, size * 2);
            idx = Arrays.copyOf(idx, size * 2);
        }
        int at = size++;
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!before(diameter, index, diam[parent], idx[parent])) {
                break;
            }
            diam[at] = diam[parent];
            idx[at] = idx[parent];
            at = parent;
        }
        diam[at] = diameter;
        idx[at] = index;
    }

    /**
     * Removes the smallest key that occurs an odd number of times (cancelling pairs on the way) and keeps it as the
     * pivot; false when the column sums to zero.
     */
    boolean popPivot() {
        while (size > 0) {
            double topDiam = diam[0];
            long topIdx = idx[0];
            removeTop();
            if (size > 0 && idx[0] == topIdx) {
                removeTop(); // the same triangle twice: 1 + 1 = 0 over Z/2
                continue;
            }
            pivotDiameter = topDiam;
            pivotIndex = topIdx;
            return true;
        }
        return false;
    }

    double pivotDiameter() {
        return pivotDiameter;
    }

    long pivotIndex() {
        return pivotIndex;
    }

    private void removeTop() {
        size--;
        if (size == 0) {
            return;
        }
        double lastDiam = diam[size];
        long lastIdx = idx[size];
        int at = 0;
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(diam[child + 1], idx[child + 1], diam[child], idx[child])) {
                child++;
            }
            if (!before(diam[child], idx[child], lastDiam, lastIdx)) {
                break;
            }
            diam[at] = diam[child];
            idx[at] = idx[child];
            at = child;
        }
        diam[at] = lastDiam;
        idx[at] = lastIdx;
    }

    private static boolean before(double d1, long i1, double d2, long i2) {
        return d1 < d2 || (d1 == d2 && i1 > i2);
    }
}
