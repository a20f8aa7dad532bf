package org.leantrain.pipeline;

import java.lang.management.ManagementFactory;

/**
 * Native thread budgets of stage workers. ND4J sizes its OpenMP and BLAS pools per process; two stages with the
 * default pools on two cores oversubscribe and spin, so each worker pins its own count first with core's
 * {@link org.leantrain.core.util.Threads#setNd4jThreads} (spec §9). Which knob
 * is really per thread is measured, not assumed: see {@link #measuredCores} and the Threads test.
 */
public final class ThreadBudget {
    private ThreadBudget() {}

    /**
     * Cores busy while {@code work} runs: process CPU time over wall time (1.0 = one core fully used), less the time
     * the JVM spent compiling and collecting garbage meanwhile (its own threads, not the work's native ones).
     */
    public static double measuredCores(Runnable work) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long housekeeping0 = jvmHousekeepingMillis();
        long wall0 = System.nanoTime();
        work.run();
        long wall = System.nanoTime() - wall0;
        long housekeeping = (jvmHousekeepingMillis() - housekeeping0) * 1_000_000L;
        long cpu = os.getProcessCpuTime() - cpu0 - housekeeping;
        return (double) cpu / Math.max(1, wall);
    }

    private static long jvmHousekeepingMillis() {
        long millis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, gc.getCollectionTime());
        }
        return millis;
    }

    /** Warns (through the returned text, empty when fine) when stages × threads exceed the available processors. */
    static String oversubscription(int stages, int threadsPerStage) {
        int cores = Runtime.getRuntime().availableProcessors();
        if ((long) stages * threadsPerStage <= cores) {
            return "";
        }
        return stages + " stages × " + threadsPerStage + " native threads = " + (stages * threadsPerStage)
                + " exceed the " + cores + " available processors; stages will compete for cores";
    }
}
