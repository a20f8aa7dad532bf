package org.leantrain.core.util;

import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's OpenMP thread count for ops issued from the calling thread. Several Java threads running ND4J ops
 * oversubscribe the cores unless each sets its own count (e.g. one per pipeline stage).
 */
public final class Threads {
    private Threads() {}

    public static void setNd4jThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("ND4J thread count must be >= 1, got " + threads);
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
    }

    public static int nd4jThreads() {
        return Nd4j.getEnvironment().maxThreads();
    }
}
