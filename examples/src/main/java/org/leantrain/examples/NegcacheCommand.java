package org.leantrain.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Stats;
import org.leantrain.core.util.Progress;
import org.leantrain.core.util.Rng;
import org.leantrain.negcache.CacheMode;
import org.leantrain.negcache.EvictionPolicy;
import org.leantrain.negcache.RefreshPolicy;
import org.leantrain.negcache.Method;
import org.leantrain.negcache.NearDuplicateCorpus;
import org.leantrain.negcache.RankingMetrics;
import org.leantrain.negcache.RetrievalTrainer;
import org.leantrain.negcache.TrainConfig;
import org.leantrain.negcache.TwoTowerModel;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code leantrain negcache}: the negative-cache quick experiment (spec §7) on the synthetic near-duplicate corpus:
 * cache (B = 8, streaming C = 1024) against in-batch negatives at equal activation memory (B = 12) over several
 * seeds, plus in-batch B = 8 and 16, a corpus-mode cache with fraction refresh and the full softmax on seed 0.
 */
@Command(name = "negcache", mixinStandardHelpOptions = true,
        description = "Two-tower retrieval on a synthetic near-duplicate corpus: negative cache vs in-batch negatives"
                + " vs full softmax; MRR, Recall@1/10, interpretable loss and staleness curves.")
public final class NegcacheCommand implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--steps", defaultValue = "4000", description = "training steps per run (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--seeds", defaultValue = "3", description = "seeds of the headline pair (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--secondary", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "also run in-batch B = 8 and 16, corpus-mode cache (r = 0.02) and full softmax on seed 0"
                    + " (default: on)")
    boolean secondary;

    @Option(names = "--ablations", description = "also run the spec §5 ablations of the cache (B = 8, C = 1024, seed 0):"
            + " oldest- and random-fraction refresh, FIFO, m = 2 and 4, approximate top-k, 8 shards, max-score,"
            + " deduplicated inserts, trainable β; writes ablation.csv")
    boolean ablations;

    @Option(names = "--trainable-beta", description = "learn the score scale β (starting at 20) with the towers")
    boolean trainableBeta;

    @Option(names = "--eval-every", defaultValue = "500", description = "steps between evaluations (default: ${DEFAULT-VALUE})")
    int evalEvery;

    private record Run(String name, TrainConfig config) {}

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || seeds < 1 || evalEvery < 1) {
            throw new IllegalArgumentException("--steps, --seeds and --eval-every must be >= 1, got " + steps + ", "
                    + seeds + ", " + evalEvery);
        }
        Path dir = run.start("negcache");
        NearDuplicateCorpus corpus = NearDuplicateCorpus.standard(1);
        NearDuplicateCorpus.QuerySet test = corpus.sample(2000, new Rng(1_000_003));
        List<Run> runs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            runs.add(new Run("cache_b8_seed" + s, TrainConfig.cache(8, 1024, s)));
            runs.add(new Run("inbatch_b12_seed" + s, TrainConfig.baseline(Method.IN_BATCH, 12, s)));
        }
        if (secondary) {
            runs.add(new Run("inbatch_b8_seed0", TrainConfig.baseline(Method.IN_BATCH, 8, 0)));
            runs.add(new Run("inbatch_b16_seed0", TrainConfig.baseline(Method.IN_BATCH, 16, 0)));
            runs.add(new Run("cache_corpus_r002_b8_seed0",
                    TrainConfig.cache(8, 1024, 0).withMode(CacheMode.CORPUS, corpus.size(), 0.02)));
            runs.add(new Run("full_softmax_b8_seed0", TrainConfig.baseline(Method.FULL_SOFTMAX, 8, 0)));
        }
        if (ablations) {
            TrainConfig base = TrainConfig.cache(8, 1024, 0);
            runs.add(new Run("ablation_oldest_fraction_r002", base.withMode(CacheMode.STREAMING, 1024, 0.02)));
            runs.add(new Run("ablation_random_fraction_r002", base.withMode(CacheMode.STREAMING, 1024, 0.02)
                    .withRefresh(RefreshPolicy.RANDOM_FRACTION)));
            runs.add(new Run("ablation_fifo", base.withEviction(EvictionPolicy.FIFO)));
            runs.add(new Run("ablation_m2", base.withNegatives(2)));
            runs.add(new Run("ablation_m4", base.withNegatives(4)));
            runs.add(new Run("ablation_topk64", base.withSampling(64, 1)));
            runs.add(new Run("ablation_shards8", base.withSampling(0, 8)));
            runs.add(new Run("ablation_max_score", base.withMaxScore(true)));
            runs.add(new Run("ablation_dedupe_inserts", base.withDedupeInserts(true)));
            runs.add(new Run("ablation_trainable_beta", base));
        }
        System.out.printf("negcache: %d documents (%d families), vocab %d, %d test queries, %d runs of %d steps;"
                + " results in %s%n", corpus.size(), corpus.size() / 16, corpus.vocab(), test.ids().length, runs.size(),
                steps, dir);

        Map<String, RankingMetrics> finals = new LinkedHashMap<>();
        CsvTable quality = new CsvTable("run", "step", "mrr", "recall_at_1", "recall_at_10");
        CsvTable losses = new CsvTable("run", "step", "interpretable_loss", "staleness");
        Map<String, double[][]> mrrCurves = new LinkedHashMap<>();
        Map<String, double[][]> lossCurves = new LinkedHashMap<>();
        Map<String, double[][]> stalenessCurves = new LinkedHashMap<>();
        for (int r = 0; r < runs.size(); r++) {
            Run spec = runs.get(r);
            TrainConfig c = spec.config();
            boolean learnBeta = trainableBeta || spec.name().equals("ablation_trainable_beta");
            RetrievalTrainer trainer = new RetrievalTrainer(
                    new TwoTowerModel(corpus.vocab(), 64, 20, learnBeta, DataType.FLOAT, new Rng(c.seed())), corpus, c);
            Progress progress = new Progress("negcache " + spec.name(), steps, Math.max(1, steps / 4));
            List<double[]> mrr = new ArrayList<>();
            List<double[]> interp = new ArrayList<>();
            List<double[]> stale = new ArrayList<>();
            double interpSum = 0;
            double staleSum = 0;
            int window = 0;
            for (int step = 1; step <= steps; step++) {
                RetrievalTrainer.StepStats stats = trainer.step();
                progress.step(step, stats.interpretableLoss());
                interpSum += stats.interpretableLoss();
                staleSum += stats.staleness();
                window++;
                if (step % 50 == 0) {
                    interp.add(new double[] {step, interpSum / window});
                    stale.add(new double[] {step, staleSum / window});
                    losses.add(r, step, interpSum / window, staleSum / window);
                    interpSum = 0;
                    staleSum = 0;
                    window = 0;
                }
                if (step % evalEvery == 0 || step == steps) {
                    RankingMetrics m = trainer.evaluate(test);
                    mrr.add(new double[] {step, m.mrr()});
                    quality.add(r, step, m.mrr(), m.recallAt1(), m.recallAt10());
                    if (step == steps) {
                        finals.put(spec.name(), m);
                        System.out.printf("negcache %s: MRR %.3f, R@1 %.3f, R@10 %.3f%s%n", spec.name(), m.mrr(),
                                m.recallAt1(), m.recallAt10(), learnBeta ? String.format(", learned β %.2f",
                                        trainer.model().beta()) : "");
                    }
                }
            }
            mrrCurves.put(spec.name(), columns(mrr));
            if (!interp.isEmpty() && (c.method() != Method.IN_BATCH || spec.name().startsWith("inbatch_b12"))) {
                lossCurves.put(spec.name(), columns(interp)); // loss curves are 50-step means: none in shorter runs
            }
            if (!stale.isEmpty() && c.method() == Method.CACHE) {
                stalenessCurves.put(spec.name(), columns(stale));
            }
        }
        quality.write(dir.resolve("quality.csv"));
        losses.write(dir.resolve("losses.csv"));
        Plots.lines(dir.resolve("mrr.png"), "test MRR", "step", "MRR", mrrCurves, false);
        if (!lossCurves.isEmpty()) {
            Plots.lines(dir.resolve("interpretable_loss.png"), "interpretable loss (−log p⁺; in-batch: its CE)",
                    "step", "nats", lossCurves, false);
        }
        if (!stalenessCurves.isEmpty()) {
            Plots.lines(dir.resolve("staleness.png"), "staleness of the drawn negatives' cached embeddings", "step",
                    "‖ẽ − ê‖² / ‖ê‖²", stalenessCurves, true);
        }

        Metrics metrics = new Metrics();
        double[] cacheMrr = perSeed(finals, "cache_b8_seed", seeds, true);
        double[] inbatchMrr = perSeed(finals, "inbatch_b12_seed", seeds, true);
        double[] cacheR1 = perSeed(finals, "cache_b8_seed", seeds, false);
        double[] inbatchR1 = perSeed(finals, "inbatch_b12_seed", seeds, false);
        metrics.put("mrr_cache_b8", Stats.mean(cacheMrr)).put("mrr_inbatch_b12", Stats.mean(inbatchMrr))
                .put("r1_cache_b8", Stats.mean(cacheR1)).put("r1_inbatch_b12", Stats.mean(inbatchR1));
        int reversed = 0;
        for (int s = 0; s < seeds; s++) {
            metrics.put("mrr_cache_b8_seed" + s, cacheMrr[s]).put("mrr_inbatch_b12_seed" + s, inbatchMrr[s]);
            reversed += cacheMrr[s] <= inbatchMrr[s] ? 1 : 0;
        }
        metrics.put("seeds_reversed", reversed);
        if (finals.containsKey("full_softmax_b8_seed0")) {
            metrics.put("mrr_full_softmax", finals.get("full_softmax_b8_seed0").mrr())
                    .put("mrr_inbatch_b8", finals.get("inbatch_b8_seed0").mrr())
                    .put("mrr_inbatch_b16", finals.get("inbatch_b16_seed0").mrr())
                    .put("mrr_cache_corpus_r002", finals.get("cache_corpus_r002_b8_seed0").mrr());
        } else {
            metrics.missing("mrr_full_softmax");
        }
        if (ablations) {
            CsvTable table = new CsvTable("run", "mrr", "recall_at_1", "recall_at_10");
            StringBuilder names = new StringBuilder("# run index: ");
            System.out.printf("%nablations of the cache (B = 8, C = 1024, seed 0, %d steps):%n%-32s %6s %6s %6s%n", steps,
                    "run", "MRR", "R@1", "R@10");
            int index = 0;
            for (Map.Entry<String, RankingMetrics> e : finals.entrySet()) {
                if (!e.getKey().startsWith("ablation_") && !e.getKey().equals("cache_b8_seed0")) {
                    continue;
                }
                RankingMetrics m = e.getValue();
                System.out.printf("%-32s %6.3f %6.3f %6.3f%n", e.getKey(), m.mrr(), m.recallAt1(), m.recallAt10());
                table.add(index, m.mrr(), m.recallAt1(), m.recallAt10());
                names.append(index++).append(' ').append(e.getKey()).append("; ");
                metrics.put("mrr_" + e.getKey(), m.mrr());
            }
            table.write(dir.resolve("ablation.csv"));
            java.nio.file.Files.writeString(dir.resolve("ablation_runs.txt"), names + "\n");
        }
        metrics.put("steps", steps).write(dir);
        double dMrr = Stats.mean(cacheMrr) - Stats.mean(inbatchMrr);
        double dR1 = Stats.mean(cacheR1) - Stats.mean(inbatchR1);
        System.out.printf("negcache: cache B=8 − in-batch B=12 (equal memory), mean of %d seeds: MRR %+.3f (target"
                + " ≥ 0.05), R@1 %+.3f (target ≥ 0.03); seeds reversed: %d%n", seeds, dMrr, dR1, reversed);
        System.out.println("negcache: wrote metrics.json, quality.csv, losses.csv, mrr.png, interpretable_loss.png,"
                + " staleness.png to " + dir);
        return 0;
    }

    private static double[] perSeed(Map<String, RankingMetrics> finals, String prefix, int seeds, boolean mrr) {
        double[] out = new double[seeds];
        for (int s = 0; s < seeds; s++) {
            RankingMetrics m = finals.get(prefix + s);
            out[s] = mrr ? m.mrr() : m.recallAt1();
        }
        return out;
    }

    private static double[][] columns(List<double[]> points) {
        double[][] xy = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            xy[0][i] = points.get(i)[0];
            xy[1][i] = points.get(i)[1];
        }
        return xy;
    }
}
