package org.leantrain.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a PyTorch peer script (shipped in the jar under /python) and reads its one-line JSON result. A missing
 * Python or PyTorch is reported as a problem, not an error, so the Java numbers are still written.
 */
final class TorchPeer {
    /** What to tell a user whose Python lacks PyTorch or a fast BLAS. */
    static final String HINT = "install Debian's python3-torch (and libopenblas0-pthread, or PyTorch uses the"
            + " slow reference BLAS), or pass --python";

    record Result(double msPerStep, String version, String problem, String output) {
        boolean ok() {
            return problem == null;
        }

        /** A further number the peer printed in its JSON line ("key": value), NaN when absent. */
        double number(String key) {
            return jsonNumber(output == null ? "" : output, key);
        }
    }

    private TorchPeer() {}

    /**
     * Waits (at most 15 s) until this JVM is idle. Right after the Java measurements its collector and ND4J's native
     * deallocators kept both cores busy for several seconds (measured: 170–200 % CPU), and a peer started then ran
     * 2–5× slower than alone.
     */
    static void settle() throws InterruptedException {
        System.gc();
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os)) {
            Thread.sleep(5000);
            return;
        }
        os.getProcessCpuLoad(); // the first reading only starts the interval
        long end = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < end) {
            Thread.sleep(500);
            double load = os.getProcessCpuLoad();
            if (load >= 0 && load < 0.05) {
                return;
            }
        }
    }

    /**
     * Runs the peer twice, with OpenMP's default waiting and with passive waiting, and returns the faster run (its
     * version string names the policy). Which is faster depends on the workload — measured alone: the nsde peer 44 ms
     * by default vs 73–82 ms passive, the moler peer 108 vs 58 ms — so the peer gets its better setting.
     */
    static Result run(String python, String script, int threads, int steps, String... extraArgs)
            throws IOException, InterruptedException {
        Result best = null;
        for (String policy : new String[] {null, "passive"}) {
            Result r = runOnce(python, script, threads, steps, policy, extraArgs);
            if (!r.ok()) {
                return r;
            }
            Result named = new Result(r.msPerStep(), r.version() + (policy == null ? ", OpenMP default wait"
                    : ", OMP_WAIT_POLICY=" + policy), null, r.output());
            best = best == null || named.msPerStep() < best.msPerStep() ? named : best;
        }
        return best;
    }

    /** Copies a peer script out of the jar into a temporary file (the caller deletes it). */
    static Path extract(String script) throws IOException {
        Path file = Files.createTempFile("leantrain-peer-", ".py");
        try (InputStream in = TorchPeer.class.getResourceAsStream("/python/" + script)) {
            if (in == null) {
                throw new IllegalStateException("peer script " + script + " is missing from the benchmarks jar");
            }
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /** The number after {@code "key": } in a peer's JSON output, NaN when absent. */
    static double jsonNumber(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": ([0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static Result runOnce(String python, String script, int threads, int steps, String waitPolicy,
            String... extraArgs) throws IOException, InterruptedException {
        Path file = extract(script);
        try {
            List<String> command = new java.util.ArrayList<>(List.of(python, file.toString(), "--threads",
                    Integer.toString(threads), "--steps", Integer.toString(steps)));
            command.addAll(List.of(extraArgs));
            settle();
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            // the variables some machines set for old OpenBLAS builds slow a current one down; not for the peer
            pb.environment().remove("OPENBLAS_CORETYPE");
            pb.environment().remove("OPENBLAS_L2_SIZE");
            if (waitPolicy == null) {
                pb.environment().remove("OMP_WAIT_POLICY"); // bin/leantrain-bench sets it for ND4J
            } else {
                pb.environment().put("OMP_WAIT_POLICY", waitPolicy);
            }
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return new Result(Double.NaN, null, python + " not found; " + HINT, null);
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                String last = output.lines().reduce("", (a, b) -> b);
                return new Result(Double.NaN, null, "peer failed: " + last + "; " + HINT, output);
            }
            Matcher ms = Pattern.compile("\"ms_per_step\": ([0-9.eE+-]+)").matcher(output);
            Matcher version = Pattern.compile("\"(?:torch|version)\": \"([^\"]+)\"").matcher(output);
            if (!ms.find()) {
                return new Result(Double.NaN, null, "peer printed no timing: " + output.strip(), output);
            }
            return new Result(Double.parseDouble(ms.group(1)), version.find() ? version.group(1) : "?", null, output);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
