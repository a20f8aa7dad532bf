package org.leantrain.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.leantrain.core.data.Mnist;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Progress;
import org.leantrain.pipeline.CheckpointMode;
import org.leantrain.pipeline.Schedule;
import org.leantrain.pipeline.experiments.MnistEquivalenceRun;
import org.leantrain.pipeline.experiments.MnistEquivalenceRun.Result;
import org.leantrain.pipeline.experiments.MnistEquivalenceRun.Variant;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code leantrain gpipe}: the quick experiments E1–E3 of the pipeline-parallel spec. */
@Command(name = "gpipe", mixinStandardHelpOptions = true,
        description = "GPipe pipeline parallelism: float64 gradient equivalence, E1 (MNIST training equal to"
                + " non-pipelined), E2 (speed and bubble), E3 (peak memory per stage), with a schedule timeline.")
public final class GpipeCommand implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--data", defaultValue = "../shared/data/mnist",
            description = "MNIST directory for E1 (default: ${DEFAULT-VALUE})")
    Path mnistDir;

    @Option(names = "--steps", defaultValue = "100", description = "E1 training steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--seeds", defaultValue = "1", description = "E1 seeds 0..n-1 (default: ${DEFAULT-VALUE}; spec: 3)")
    int seeds;

    @Option(names = "--skip-mnist", description = "skip E1 (MNIST training)")
    boolean skipMnist;

    @Override
    public Integer call() throws Exception {
        if (steps < 20 || seeds < 1) {
            throw new IllegalArgumentException("--steps must be >= 20 (E1 compares the first 20 steps) and --seeds >= 1,"
                    + " got " + steps + ", " + seeds);
        }
        Mnist mnist = skipMnist ? null : Mnist.load(mnistDir);
        Path dir = run.start("gpipe");
        Metrics metrics = new Metrics();
        System.out.println("results in " + dir);
        GpipeReport.equivalence(metrics);
        if (mnist != null) {
            mnistTraining(mnist, dir, metrics);
        }
        SyntheticPipelineRuns.Settings settings = SyntheticPipelineRuns.Settings.quick();
        List<Config> configs = quickConfigs();
        System.out.printf("%nE2/E3: %d configurations, %d rounds of %d timed steps each...%n", configs.size(),
                settings.rounds(), settings.timedSteps());
        List<SyntheticPipelineRuns.Row> rows = ForkedPipelineRuns.run(settings, configs, dir);
        GpipeReport.speedAndMemory(rows, settings, dir, metrics);
        System.out.println("metrics: " + metrics.write(dir));
        return 0;
    }

    /** E2 (NEVER over M) and E3 (ALWAYS over M), the baselines, and 1F1B at M = 16 for its memory bound. */
    static List<Config> quickConfigs() {
        List<Config> configs = new ArrayList<>(List.of(Config.nonPipelined(1), Config.nonPipelined(2)));
        for (int m : new int[] {1, 2, 4, 8, 16}) {
            configs.add(Config.pipeline(m, CheckpointMode.NEVER, Schedule.GPIPE));
        }
        for (int m : new int[] {1, 2, 4, 8}) {
            configs.add(Config.pipeline(m, CheckpointMode.ALWAYS, Schedule.GPIPE));
        }
        configs.add(Config.pipeline(16, CheckpointMode.NEVER, Schedule.ONE_F_ONE_B));
        return configs;
    }

    /**
     * E1. The baseline runs on one native thread like each stage: with two BLAS threads its float32 rounding differs,
     * and AdamW amplifies that to about 1e-2 relative loss difference within 20 steps.
     */
    private void mnistTraining(Mnist mnist, Path dir, Metrics metrics) throws Exception {
        System.out.printf("%nE1: MLP 784→8×1024→10, AdamW 1e-3, N = %d, %d steps, %d seed(s)%n",
                MnistEquivalenceRun.BATCH, steps, seeds);
        List<Result> results = new ArrayList<>();
        for (int seed = 0; seed < seeds; seed++) {
            for (Variant v : MnistEquivalenceRun.variants()) {
                Progress progress = new Progress("E1 " + v.name() + " seed " + seed, steps, Math.max(1, steps / 4));
                results.add(MnistEquivalenceRun.train(v, mnist.train(), mnist.test(), steps, seed, 1,
                        (loss, step) -> progress.step(step + 1, loss)));
                Result r = results.get(results.size() - 1);
                System.out.printf("  %-22s seed %d: final loss %.4f, test accuracy %.2f%% (%.0f s)%n", v.name(), seed,
                        r.losses()[steps - 1], 100 * r.testAccuracy(), progress.elapsedSeconds());
            }
        }
        reportE1(results, steps, seeds, dir, metrics);
    }

    /**
     * Loss agreement over the first 20 steps and accuracy agreement of both pipelines with non-pipelined training,
     * worst over seeds; and 1F1B against gradient accumulation, which sums the same micro-batches in the same order
     * (so any difference would be the pipeline's own). CSV and PNG of the losses.
     */
    static void reportE1(List<Result> results, int steps, int seeds, Path dir, Metrics metrics) throws Exception {
        List<List<Result>> byVariant = MnistEquivalenceRun.byVariant(results);
        List<Result> baseline = byVariant.get(0);
        double worstLoss = 0;
        double worstAccuracy = 0;
        double worstSameOrder = 0;
        double meanBaselineAccuracy = 0;
        CsvTable csv = new CsvTable("seed", "step", "loss_nonpipelined", "loss_grad_accumulation", "loss_gpipe_always",
                "loss_1f1b_never");
        Map<String, double[][]> curves = new LinkedHashMap<>();
        for (int seed = 0; seed < seeds; seed++) {
            Result base = baseline.get(seed);
            meanBaselineAccuracy += base.testAccuracy() / seeds;
            for (int v = 2; v < byVariant.size(); v++) {
                Result r = byVariant.get(v).get(seed);
                worstLoss = Math.max(worstLoss, MnistEquivalenceRun.maxRelativeLossDiff(r.losses(), base.losses(), 20));
                worstAccuracy = Math.max(worstAccuracy, Math.abs(r.testAccuracy() - base.testAccuracy()));
            }
            worstSameOrder = Math.max(worstSameOrder, MnistEquivalenceRun.maxRelativeLossDiff(
                    byVariant.get(3).get(seed).losses(), byVariant.get(1).get(seed).losses(), steps));
            for (int step = 0; step < steps; step++) {
                csv.add(seed, step + 1, base.losses()[step], byVariant.get(1).get(seed).losses()[step],
                        byVariant.get(2).get(seed).losses()[step], byVariant.get(3).get(seed).losses()[step]);
            }
        }
        double[] x = new double[steps];
        for (int i = 0; i < steps; i++) {
            x[i] = i + 1;
        }
        for (List<Result> variant : byVariant) {
            curves.put(variant.get(0).variant().name(), new double[][] {x, variant.get(0).losses()});
        }
        csv.write(dir.resolve("e1_losses.csv"));
        Plots.lines(dir.resolve("e1_loss.png"), "E1: training loss, seed 0", "step", "loss", curves, true);
        System.out.printf("E1: pipelines vs non-pipelined: max |Δloss|/loss over the first 20 steps %.2e (target <= 1e-4),"
                + " max |Δ test accuracy| %.2f pp (target <= 0.3)%n", worstLoss, 100 * worstAccuracy);
        System.out.printf("E1: 1F1B vs gradient accumulation over the same micro-batches in the same order, all %d"
                + " steps: max |Δloss|/loss %.2e%n", steps, worstSameOrder);
        metrics.put("e1_max_rel_loss_diff_first20", worstLoss).put("e1_max_accuracy_diff_pp", 100 * worstAccuracy)
                .put("e1_1f1b_vs_grad_accumulation_max_rel_loss_diff", worstSameOrder)
                .put("e1_nonpipelined_test_accuracy", meanBaselineAccuracy);
    }
}
