package org.leantrain.core.util;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Thread counts of ND4J's native code. ND4J 1.0.0-M2.1's {@code Environment.setMaxThreads} has no measurable
 * effect on the CPU backend; what does is OpenMP's count (elementwise and reduction ops) and OpenBLAS's count
 * (matrix products): measured here, a 1024×1024 tanh took 3.5–4.6 ms with 2 threads and 6.6–6.7 ms with 1, a
 * 512×512 gemm 1.7–2.1 ms and 3.2–3.9 ms.
 *
 * <p>The OpenMP count follows OpenMP's rules (it applies to parallel regions started from the calling thread); the
 * BLAS count is process-wide. Several Java threads running ND4J ops oversubscribe the cores unless each calls
 * {@link #setNd4jThreads} with its share.
 */
public final class Threads {
    private Threads() {}

    public static void setNd4jThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("ND4J thread count must be >= 1, got " + threads);
        }
        // Nd4j first: it loads the backend, without which NativeOpsHolder fails to initialise on a fresh thread
        Nd4j.factory().blas().setMaxThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    /** OpenMP's thread count for ops issued from the calling thread. */
    public static int nd4jThreads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }
}
