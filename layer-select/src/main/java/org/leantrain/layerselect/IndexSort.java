package org.leantrain.layerselect;

/** Sorts an int[] by a comparator without boxing (merge sort; the edge lists of §3C have up to 2M entries). */
final class IndexSort {
    private IndexSort() {}

    interface IntComparator {
        int compare(int a, int b);
    }

    static void sort(int[] values, IntComparator cmp) {
        int[] buffer = new int[values.length];
        int[] src = values;
        int[] dst = buffer;
        for (int width = 1; width < values.length; width *= 2) {
            for (int lo = 0; lo < values.length; lo += 2 * width) {
                int mid = Math.min(lo + width, values.length);
                int hi = Math.min(lo + 2 * width, values.length);
                int a = lo;
                int b = mid;
                for (int out = lo; out < hi; out++) {
                    dst[out] = b >= hi || (a < mid && cmp.compare(src[a], src[b]) <= 0) ? src[a++] : src[b++];
                }
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        if (src != values) {
            System.arraycopy(src, 0, values, 0, values.length);
        }
    }
}
