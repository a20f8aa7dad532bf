package org.leantrain.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Module;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Rng;
import org.leantrain.examples.Plots;
import org.leantrain.examples.RunOptions;
import org.leantrain.layerselect.AdaBetConfig;
import org.leantrain.layerselect.AdaBetSelection;
import org.leantrain.layerselect.AdaptationTask;
import org.leantrain.layerselect.Cnn7;
import org.leantrain.layerselect.DistanceMatrix;
import org.leantrain.layerselect.FreezePlan;
import org.leantrain.layerselect.GradientNormSelection;
import org.leantrain.layerselect.Mlp6;
import org.leantrain.layerselect.PersistenceDiagram;
import org.leantrain.layerselect.RipsConfig;
import org.leantrain.layerselect.RipsPersistence;
import org.leantrain.layerselect.Selection;
import org.leantrain.layerselect.SelectiveTrainer;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code leantrain-bench adabet}: layer-select spec §8 from one run — the persistence engine on seeded clouds (with
 * GUDHI on the same clouds), AdaBet's selection time against the gradient-norm baseline's, and the training step of
 * the selected layers against full fine-tuning (time, saved bytes, optimizer state), with PyTorch's cnn7 step.
 */
@Command(name = "adabet", mixinStandardHelpOptions = true,
        description = "AdaBet layer selection: Rips engine time vs n (GUDHI peer), selection time, selective vs full"
                + " fine-tuning step time / saved bytes / Adam state on cnn7 and mlp6, PyTorch peer.")
public final class AdabetBench implements Callable<Integer> {
    private static final long CLOUD_SEED = 11;
    private static final int CLOUD_DIM = 64;

    @Mixin
    RunOptions run;

    @Option(names = "--parts", split = ",", defaultValue = "engine,selection,training,external",
            description = "what to measure: engine, selection, training, external (default: ${DEFAULT-VALUE})")
    List<String> parts;

    @Option(names = "--sizes", split = ",", defaultValue = "32,64,128,256",
            description = "cloud sizes n of the engine part, d = 64 (default: ${DEFAULT-VALUE})")
    int[] sizes;

    @Option(names = "--steps", defaultValue = "30", description = "timed training steps per round (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--data", defaultValue = "../shared/data/mnist", description = "MNIST directory (default: ${DEFAULT-VALUE})")
    Path mnistDir;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with torch and gudhi for the peers (default: ${DEFAULT-VALUE})")
    String python;

    @Override
    public Integer call() throws Exception {
        Parts.check(parts, "engine", "selection", "training", "external");
        for (int n : sizes) {
            if (n < 4 || n > DistanceMatrix.MAX_POINTS) {
                throw new IllegalArgumentException("--sizes: n must be in [4, " + DistanceMatrix.MAX_POINTS + "], got " + n);
            }
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        AdaptationTask task = parts.contains("selection") || parts.contains("training")
                ? AdaptationTask.digits(mnistDir, 10_000) : null;
        int threads = run.threads(1);
        Path dir = run.start("bench-adabet");
        org.leantrain.core.util.Threads.setNd4jThreads(threads);
        Metrics metrics = new Metrics().put("threads", threads);
        System.out.println("adabet bench (" + threads + " ND4J thread(s)); results in " + dir);
        if (parts.contains("engine")) {
            engine(dir, metrics);
        }
        if (parts.contains("selection")) {
            selection(task, metrics);
        }
        if (parts.contains("training")) {
            training(task, threads, metrics);
        }
        metrics.write(dir);
        System.out.println("metrics: " + metrics.write(dir));
        return 0;
    }

    /** Point i, coordinate c = u_{i·d+c}, u = SplittableRandom(seed).nextDouble() (spec §6). */
    private static double[][] cloud(int n) {
        SplittableRandom random = new SplittableRandom(CLOUD_SEED);
        double[][] pts = new double[n][CLOUD_DIM];
        for (double[] p : pts) {
            for (int c = 0; c < CLOUD_DIM; c++) {
                p[c] = random.nextDouble();
            }
        }
        return pts;
    }

    private void engine(Path dir, Metrics metrics) throws Exception {
        System.out.println("\nengine: seeded clouds (seed 11, d = 64), H0+H1 to the enclosing radius, median of 5");
        RipsPersistence engine = new RipsPersistence();
        CsvTable table = new CsvTable("n", "java_ms", "distance_ms", "h1", "allocated_bytes", "gudhi_ms", "gudhi_h1");
        double[] xs = new double[sizes.length];
        double[] java = new double[sizes.length];
        double[] gudhi = new double[sizes.length];
        boolean gudhiOk = true;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int s = 0; s < sizes.length; s++) {
            int n = sizes[s];
            double[][] pts = cloud(n);
            DistanceMatrix dm = DistanceMatrix.fromPoints(pts);
            double distanceMs = Timing.medianMillis(2, 5, () -> DistanceMatrix.fromPoints(pts));
            int reps = n <= 64 ? 201 : 5;
            double ms = Timing.medianMillis(n <= 64 ? 50 : 2, reps, () -> engine.compute(dm, RipsConfig.defaults()));
            long before = mx.getCurrentThreadAllocatedBytes();
            PersistenceDiagram dgm = engine.compute(dm, RipsConfig.defaults());
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            TorchPeer.Result peer = gudhiOk ? TorchPeer.run(python, "rips_gudhi.py", 1, n <= 128 ? 5 : 3, "--n",
                    Integer.toString(n), "--d", Integer.toString(CLOUD_DIM), "--seed", Long.toString(CLOUD_SEED)) : null;
            if (peer != null && !peer.ok()) {
                System.out.println("GUDHI peer skipped: " + peer.problem());
                gudhiOk = false;
            }
            double gudhiMs = peer != null && peer.ok() ? peer.msPerStep() : Double.NaN;
            double gudhiH1 = peer != null && peer.ok() ? peer.number("h1") : Double.NaN;
            System.out.printf("n = %3d: Java %8.2f ms (+ distances %.2f ms), b1 = %d, allocated %.1f MB; GUDHI %s%n", n,
                    ms, distanceMs, dgm.countPositive(1), allocated / 1e6, Double.isNaN(gudhiMs) ? "-"
                            : String.format("%.1f ms, b1 = %.0f, GUDHI / Java = %.0f×", gudhiMs, gudhiH1, gudhiMs / ms));
            if (!Double.isNaN(gudhiH1) && gudhiH1 != dgm.countPositive(1)) {
                throw new IllegalStateException("n = " + n + ": Java finds " + dgm.countPositive(1)
                        + " H1 bars but GUDHI " + gudhiH1);
            }
            table.add(n, ms, distanceMs, dgm.countPositive(1), allocated, gudhiMs, gudhiH1);
            metrics.put("engine_n" + n + "_d64_seconds", ms / 1e3).put("engine_n" + n + "_allocated_bytes", allocated);
            if (n == 32) {
                metrics.put("engine_n32_seconds", ms / 1e3); // the key for the small cloud
            }
            if (!Double.isNaN(gudhiMs)) {
                metrics.put("gudhi_n" + n + "_d64_seconds", gudhiMs / 1e3).put("gudhi_vs_java_n" + n, gudhiMs / ms);
            }
            xs[s] = n;
            java[s] = ms;
            gudhi[s] = gudhiMs;
        }
        table.write(dir.resolve("engine.csv"));
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("leantrain RipsPersistence", new double[][] {xs, java});
        if (gudhiOk) {
            series.put("GUDHI 3.7.1", new double[][] {xs, gudhi});
        }
        Plots.lines(dir.resolve("engine_time.png"), "Rips persistence (H0+H1), seeded clouds d = 64", "n points",
                "ms (log scale)", series, true);
        System.out.println("targets: n = 256 ≤ 300 ms, n = 32 ≤ 2 ms, heap ≤ 50 MB at n = 256");
    }

    private void selection(AdaptationTask task, Metrics metrics) {
        System.out.println("\nselection on cnn7 (adaptation set of 2,000 target images; untrained weights)");
        Dataset adaptation = task.adaptationSet(2000, new Rng(1));
        Cnn7 model = new Cnn7(5, DataType.FLOAT, new Rng(0));
        AdaBetSelection adabet = new AdaBetSelection(AdaBetConfig.of(0.3));
        GradientNormSelection gradNorm = new GradientNormSelection(2, 32);
        double[] ms = Timing.interleaved(5, 1, () -> adabet.select(model, adaptation, new Rng(3)),
                () -> gradNorm.select(model, adaptation, new Rng(3)));
        System.out.printf("AdaBet (4 batches × 7 layers, forward + persistence): %.0f ms (target ≤ 1000); gradient norm"
                + " (one forward + backward): %.0f ms; ratio %.1f%n", ms[0], ms[1], ms[0] / ms[1]);
        metrics.put("adabet_selection_ms_cnn7", ms[0]).put("gradnorm_selection_ms_cnn7", ms[1]);
    }

    private void training(AdaptationTask task, int threads, Metrics metrics) throws Exception {
        Dataset batch = task.adaptationSet(32, new Rng(2));
        System.out.println("\ntraining step (batch 32, Adam), interleaved rounds of " + steps + " steps, median");
        Step cnnFull = new Step(new Cnn7(5, DataType.FLOAT, new Rng(0)), List.of("conv1", "conv2", "conv3", "conv4",
                "fc1", "fc2", "head"), batch);
        Step cnnAdabet = new Step(new Cnn7(5, DataType.FLOAT, new Rng(0)), List.of("head", "fc2"), batch);
        double[] cnnMs = Timing.interleaved(5, steps, cnnFull::run, cnnAdabet::run);
        report("cnn7", cnnFull, cnnAdabet, cnnMs, metrics);
        Step mlpFull = new Step(new Mlp6(5, DataType.FLOAT, new Rng(0)), List.of("fc1", "fc2", "fc3", "fc4", "fc5",
                "head"), batch);
        Step mlpAdabet = new Step(new Mlp6(5, DataType.FLOAT, new Rng(0)), List.of("head", "fc1"), batch);
        double[] mlpMs = Timing.interleaved(5, steps, mlpFull::run, mlpAdabet::run);
        report("mlp6", mlpFull, mlpAdabet, mlpMs, metrics);
        System.out.println("targets: cnn7 step-time ratio ≤ 0.6 (issue; spec ≤ 0.4), saved-bytes ratio ≤ 0.05; mlp6 "
                + "Adam-state ratio ≤ 0.45");
        if (parts.contains("external")) {
            TorchPeer.Result full = TorchPeer.run(python, "adabet_cnn7_step.py", threads, steps, "--trainable", "full");
            TorchPeer.Result sel = TorchPeer.run(python, "adabet_cnn7_step.py", threads, steps, "--trainable",
                    "fc2,head");
            if (full.ok() && sel.ok()) {
                System.out.printf("PyTorch %s cnn7 (%d thread(s)): full %.1f ms, {fc2, head} %.1f ms (ratio %.2f); "
                                + "Java / PyTorch: full %.2f, {fc2, head} %.2f (target ≤ 3)%n", full.version(), threads,
                        full.msPerStep(), sel.msPerStep(), sel.msPerStep() / full.msPerStep(),
                        cnnMs[0] / full.msPerStep(), cnnMs[1] / sel.msPerStep());
                metrics.put("torch_cnn7_full_ms", full.msPerStep()).put("torch_cnn7_adabet_ms", sel.msPerStep())
                        .put("java_vs_torch_cnn7_full", cnnMs[0] / full.msPerStep())
                        .put("java_vs_torch_cnn7_adabet", cnnMs[1] / sel.msPerStep());
            } else {
                System.out.println("PyTorch peer skipped: " + (full.ok() ? sel.problem() : full.problem()));
                metrics.missing("java_vs_torch_cnn7_full");
            }
        }
    }

    private static void report(String model, Step full, Step selected, double[] ms, Metrics metrics) {
        System.out.printf("%s: full %.1f ms/step, %d saved B, Adam state %d B | %s %.1f ms/step, %d saved B, Adam "
                        + "state %d B | ratios: time %.3f, saved bytes %.4f, Adam state %.3f%n", model, ms[0],
                full.savedBytes, full.stateBytes, selected.layers, ms[1], selected.savedBytes, selected.stateBytes,
                ms[1] / ms[0], (double) selected.savedBytes / full.savedBytes,
                (double) selected.stateBytes / full.stateBytes);
        metrics.put(model + "_full_ms_per_step", ms[0]).put(model + "_adabet_ms_per_step", ms[1])
                .put(model + "_adabet_step_time_ratio", ms[1] / ms[0])
                .put(model + "_adabet_saved_bytes_ratio", (double) selected.savedBytes / full.savedBytes)
                .put(model + "_adabet_state_bytes_ratio", (double) selected.stateBytes / full.stateBytes);
    }

    /** One model with a freeze plan, stepping Adam on a fixed batch; records its saved bytes and Adam state bytes. */
    private static final class Step {
        final List<String> layers;
        final Module model;
        final Adam adam;
        final Dataset batch;
        long savedBytes;
        final long stateBytes;

        Step(Module model, List<String> layers, Dataset batch) {
            this.model = model;
            this.layers = layers;
            this.batch = batch;
            FreezePlan plan = new SelectiveTrainer().apply(model, new Selection("bench", layers, Map.of(), Duration.ZERO));
            this.adam = Adam.adam(plan.trainable(), 1e-3);
            this.stateBytes = 4L * 3 * plan.trainableParams();
            run();
        }

        void run() {
            adam.zeroGrad();
            Memory.reset();
            Tensor loss = Losses.crossEntropy(model.forward(Tensor.of(batch.features())), batch.labels());
            savedBytes = Memory.peakSavedBytes();
            loss.backward();
            adam.step();
        }
    }
}
