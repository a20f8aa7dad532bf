package org.leantrain.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Rng;
import org.leantrain.examples.Plots;
import org.leantrain.examples.RunOptions;
import org.leantrain.negcache.Method;
import org.leantrain.negcache.NearDuplicateCorpus;
import org.leantrain.negcache.RetrievalTrainer;
import org.leantrain.negcache.TrainConfig;
import org.leantrain.negcache.TwoTowerModel;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code leantrain-bench negcache}: spec §8 of negative-cache — step time and peak saved-activation bytes of the
 * cache (over B and C), in-batch negatives (over B) and the full softmax (B = 8, N = 4000) on the near-duplicate
 * corpus; the cache's own bytes; the PyTorch peer of the cache step.
 */
@Command(name = "negcache", mixinStandardHelpOptions = true,
        description = "Negative cache vs in-batch vs full softmax: ms/step and saved bytes over B and C; PyTorch peer.")
public final class NegcacheBench implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--batches", split = ",", defaultValue = "8,16,32,64,128",
            description = "batch sizes (default: ${DEFAULT-VALUE})")
    int[] batches;

    @Option(names = "--capacities", split = ",", defaultValue = "1024,4096,16384,65536",
            description = "cache sizes (default: ${DEFAULT-VALUE})")
    int[] capacities;

    @Option(names = "--steps", defaultValue = "30", description = "timed steps per point (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", defaultValue = "10", description = "warm-up steps per point (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with PyTorch for the peer timing (default: ${DEFAULT-VALUE})")
    String python;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || warmup < 0) {
            throw new IllegalArgumentException("--steps must be >= 1 and --warmup >= 0");
        }
        for (int b : batches) {
            TrainConfig.baseline(Method.IN_BATCH, b, 0);
        }
        for (int c : capacities) {
            TrainConfig.cache(8, c, 0);
        }
        int threads = run.threads(2);
        Path dir = run.start("bench-negcache");
        NearDuplicateCorpus corpus = NearDuplicateCorpus.standard(1);
        // compile the step's hot loops first: with only the per-point warm-up the first points of the grid ran at
        // twice their settled time, which bent the time-vs-C slope
        measureOnce(corpus, TrainConfig.cache(8, 4096, 0), 300);
        measureOnce(corpus, TrainConfig.baseline(Method.IN_BATCH, 8, 0), 100);
        Metrics metrics = new Metrics().put("threads", threads);
        CsvTable table = new CsvTable("B", "C", "cache_ms", "cache_saved_bytes", "cache_bytes", "inbatch_ms",
                "inbatch_saved_bytes", "saved_ratio_cache_vs_inbatch");
        Map<String, double[][]> timePlot = new LinkedHashMap<>();
        for (int b : batches) {
            Point inBatch = measure(corpus, TrainConfig.baseline(Method.IN_BATCH, b, 0));
            double[] ms = new double[capacities.length];
            double[] x = new double[capacities.length];
            double minRatio = Double.MAX_VALUE;
            double maxRatio = 0;
            for (int i = 0; i < capacities.length; i++) {
                int c = capacities[i];
                Point cache = measure(corpus, TrainConfig.cache(b, c, 0));
                double ratio = (double) cache.savedBytes / inBatch.savedBytes;
                minRatio = Math.min(minRatio, ratio);
                maxRatio = Math.max(maxRatio, ratio);
                table.add(b, c, cache.ms, cache.savedBytes, cache.cacheBytes, inBatch.ms, inBatch.savedBytes, ratio);
                x[i] = c;
                ms[i] = cache.ms;
                System.out.printf("B=%d C=%d: cache %.1f ms/step, saved %d B (cache holds %.1f MB); in-batch %.1f ms, saved"
                        + " %d B; saved bytes cache/in-batch %.2f%n", b, c, cache.ms, cache.savedBytes,
                        cache.cacheBytes / 1e6, inBatch.ms, inBatch.savedBytes, ratio);
                if (b == 8 && c == 4096) {
                    metrics.put("ms_per_step_cache_b8_c4096", cache.ms).put("saved_bytes_cache_b8", cache.savedBytes);
                }
            }
            metrics.put("saved_bytes_ratio_cache_vs_inbatch_b" + b, maxRatio)
                    .put("saved_bytes_ratio_spread_over_c_b" + b, maxRatio / minRatio - 1);
            timePlot.put("cache, B=" + b, new double[][] {x, ms});
            if (capacities.length > 1) {
                double slope = (ms[ms.length - 1] - ms[0]) / (x[x.length - 1] - x[0]) * 1000;
                metrics.put("cache_ms_per_1000_slots_b" + b, slope);
            } else {
                metrics.missing("cache_ms_per_1000_slots_b" + b); // a slope needs two capacities
            }
        }
        table.write(dir.resolve("grid.csv"));
        Plots.lines(dir.resolve("cache_time_vs_c.png"), "cache step time vs cache size", "C", "ms per step", timePlot,
                true);

        Point full = measure(corpus, TrainConfig.baseline(Method.FULL_SOFTMAX, 8, 0));
        Point cache = measure(corpus, TrainConfig.cache(8, 4096, 0));
        metrics.put("ms_per_step_full_softmax_b8", full.ms).put("saved_bytes_full_softmax_b8", full.savedBytes)
                .put("time_ratio_vs_full_softmax", cache.ms / full.ms)
                .put("saved_bytes_ratio_vs_full_softmax", (double) cache.savedBytes / full.savedBytes);
        System.out.printf("cache (B=8, C=4096) vs full softmax (B=8, N=4000): time %.1f / %.1f ms = %.3f (issue target ≤ 0.25, spec ≤ 0.3),"
                + " saved bytes %d / %d = %.4f (target ≤ 0.02)%n", cache.ms, full.ms, cache.ms / full.ms,
                cache.savedBytes, full.savedBytes, (double) cache.savedBytes / full.savedBytes);

        TorchPeer.Result torch = TorchPeer.run(python, "negcache_step.py", threads, steps, "--batch", "8", "--capacity",
                "4096");
        if (torch.ok()) {
            metrics.put("ms_per_step_torch_cache_b8_c4096", torch.msPerStep())
                    .put("step_ratio_vs_torch", cache.ms / torch.msPerStep());
            System.out.printf("PyTorch %s cache step (B=8, C=4096): %.1f ms; Java / PyTorch = %.2f (target ≤ 2)%n",
                    torch.version(), torch.msPerStep(), cache.ms / torch.msPerStep());
        } else {
            metrics.missing("step_ratio_vs_torch");
            System.out.println("PyTorch peer skipped: " + torch.problem());
        }
        metrics.write(dir);
        System.out.println("negcache bench: wrote metrics.json, grid.csv, cache_time_vs_c.png to " + dir);
        return 0;
    }

    private record Point(double ms, long savedBytes, long cacheBytes) {}

    private static void measureOnce(NearDuplicateCorpus corpus, TrainConfig config, int steps) {
        RetrievalTrainer trainer = new RetrievalTrainer(
                new TwoTowerModel(corpus.vocab(), 64, 20, DataType.FLOAT, new Rng(0)), corpus, config);
        for (int i = 0; i < steps; i++) {
            trainer.step();
        }
    }

    private Point measure(NearDuplicateCorpus corpus, TrainConfig config) {
        RetrievalTrainer trainer = new RetrievalTrainer(
                new TwoTowerModel(corpus.vocab(), 64, 20, DataType.FLOAT, new Rng(0)), corpus, config);
        long saved = trainer.step().savedBytes();
        double ms = Timing.medianMillis(warmup, steps, trainer::step);
        return new Point(ms, saved, trainer.cache() == null ? 0 : trainer.cache().bytes());
    }
}
