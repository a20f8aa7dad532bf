package org.leantrain.pipeline;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.leantrain.core.util.Threads;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The "device" of one stage: a single platform thread with its own native thread budget. Everything a stage owns
 * (layers, gradients, optimizer state, RNG, tape, workspace) is touched only from this thread. Under the CUDA
 * backend the thread is also attached to GPU {@code stage mod deviceCount}, so stages spread over the GPUs.
 */
final class StageWorker implements AutoCloseable {
    private final ExecutorService thread;
    private final int nativeThreads;

    StageWorker(int stage, int nativeThreads) {
        this.nativeThreads = nativeThreads;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pipeline-stage-" + stage);
            t.setDaemon(true);
            return t;
        });
        submit(() -> {
            int devices = Nd4j.getAffinityManager().getNumberOfDevices();
            if (devices > 1) {
                Nd4j.getAffinityManager().unsafeSetDevice(stage % devices);
            }
            return null;
        });
    }

    /** Runs {@code task} on the stage thread, re-pinning its budget first (the BLAS count is process-wide). */
    <T> Future<T> submit(Callable<T> task) {
        return thread.submit(() -> {
            Threads.setNd4jThreads(nativeThreads);
            return task.call();
        });
    }

    /** Stops the thread; waits up to {@code seconds} for a running op to notice cancellation. */
    boolean shutdown(long seconds) throws InterruptedException {
        thread.shutdownNow();
        return thread.awaitTermination(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            shutdown(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
