package org.leantrain.dropout;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Whether arrays live in host memory (ND4J's CPU backend). The fast paths of this module (row copies through
 * NIO buffers, the fused Java LSTM kernel, direct BLAS calls) read and write array memory directly; on another
 * backend (CUDA) each falls back to ND4J's own ops (tested on the CPU backend; no GPU run yet).
 */
final class HostMemory {
    /** Not final so that tests can run the fallbacks on the CPU backend too. */
    static boolean CPU = Nd4j.getBackend().getClass().getName().contains("cpu");

    private HostMemory() {}
}
