package org.leantrain.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.pipeline.CheckpointMode;
import org.leantrain.pipeline.Schedule;
import org.leantrain.pipeline.experiments.Equivalence;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns.Config;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns.Row;
import org.nd4j.linalg.api.buffer.DataType;

/** The pipeline results both {@code leantrain gpipe} and {@code leantrain-bench gpipe} print and write. */
public final class GpipeReport {
    private GpipeReport() {}

    /** The float64 transparency check over K ∈ {1,2,4}, M ∈ {1,2,4,8}, all modes and schedules, with KeyedDropout. */
    public static double equivalence(Metrics metrics) {
        double worst = 0;
        for (double dropout : new double[] {0, 0.2}) {
            Equivalence eq = new Equivalence(dropout, DataType.DOUBLE);
            for (int k : new int[] {1, 2, 4}) {
                for (int m : new int[] {1, 2, 4, 8}) {
                    for (CheckpointMode mode : CheckpointMode.values()) {
                        for (Schedule s : Schedule.values()) {
                            worst = Math.max(worst, eq.worstRelativeDifference(k, m, mode, s));
                        }
                    }
                }
            }
        }
        System.out.printf("gradient equivalence (float64, K ∈ {1,2,4}, M ∈ {1,2,4,8}, 3 modes × 2 schedules,"
                + " with and without KeyedDropout): worst relative difference %.2e (target <= 1e-12)%n", worst);
        metrics.put("grad_max_rel_diff", worst);
        return worst;
    }

    /** Prints the speed/memory table, writes CSVs, PNGs and the spec §8 ratios into {@code metrics}. */
    public static void speedAndMemory(List<Row> rows, SyntheticPipelineRuns.Settings s, Path dir, Metrics metrics)
            throws IOException {
        System.out.printf("%nE2/E3: %d × (Linear %d→%d + ReLU), float32, N = %d, K = %d, one native thread per stage;"
                + " each configuration in fresh JVMs, medians over %d rounds of %d timed steps%n", s.blocks(), s.width(),
                s.width(), s.batch(), s.stages(), s.rounds(), s.timedSteps());
        System.out.printf("%-34s %9s %9s %8s %8s %7s %15s %15s%n", "configuration", "ms/step", "samples/s", "bubble",
                "formula", "busy0", "peak MiB/stage", "model MiB");
        CsvTable csv = new CsvTable("row", "micro_batches", "checkpoint_always", "one_f_one_b", "pipelined", "threads",
                "ms_per_step", "samples_per_s", "bubble", "bubble_formula", "peak_bytes_stage0", "peak_bytes_stage1",
                "predicted_bytes_stage0", "predicted_bytes_stage1");
        List<String> names = new ArrayList<>();
        for (Row r : rows) {
            Config c = r.config();
            names.add(c.name());
            System.out.printf("%-34s %9.1f %9.1f %8s %8s %7s %15s %15s%n", c.name(), r.msPerStep(),
                    r.samplesPerSecond(), fmt(r.bubble()), fmt(r.bubbleFormula()),
                    r.busyFraction().length > 0 ? fmt(r.busyFraction()[0]) : "-", mib(r.peakBytes()),
                    c.pipelined() ? mib(r.predictedPeakBytes()) : "-");
            csv.add(names.size() - 1, c.micro(), c.checkpoint() == CheckpointMode.ALWAYS ? 1 : 0,
                    c.schedule() == Schedule.ONE_F_ONE_B ? 1 : 0, c.pipelined() ? 1 : 0, c.threads(), r.msPerStep(),
                    r.samplesPerSecond(), r.bubble(), r.bubbleFormula(), r.peakBytes()[0],
                    r.peakBytes().length > 1 ? r.peakBytes()[1] : Double.NaN, r.predictedPeakBytes()[0],
                    r.predictedPeakBytes().length > 1 ? r.predictedPeakBytes()[1] : Double.NaN);
        }
        csv.write(dir.resolve("speed_memory.csv"));
        Files.writeString(dir.resolve("speed_memory_rows.txt"), String.join("\n", names) + "\n");

        Row base1 = SyntheticPipelineRuns.find(rows, Config.nonPipelined(1).name());
        Row base2 = SyntheticPipelineRuns.find(rows, Config.nonPipelined(2).name());
        Row never8 = SyntheticPipelineRuns.find(rows, Config.pipeline(8, CheckpointMode.NEVER, Schedule.GPIPE).name());
        Row always8 = SyntheticPipelineRuns.find(rows, Config.pipeline(8, CheckpointMode.ALWAYS, Schedule.GPIPE).name());
        Row gpipe16 = SyntheticPipelineRuns.find(rows, Config.pipeline(16, CheckpointMode.NEVER, Schedule.GPIPE).name());
        Row f1b16 = SyntheticPipelineRuns.find(rows,
                Config.pipeline(16, CheckpointMode.NEVER, Schedule.ONE_F_ONE_B).name());
        double speedup1 = base1.msPerStep() / never8.msPerStep();
        double speedup2 = base2.msPerStep() / never8.msPerStep();
        double alwaysVsNever = always8.msPerStep() / never8.msPerStep();
        double alwaysPeak = max(always8.peakBytes()) / (double) base1.peakBytes()[0];
        double f1b1Peak = f1b16.peakBytes()[0] / (double) gpipe16.peakBytes()[0];
        double bubbleError = 0;
        int bubbleRows = 0;
        for (Row r : rows) {
            if (r.config().pipelined() && r.config().checkpoint() == CheckpointMode.NEVER
                    && r.config().schedule() == Schedule.GPIPE) {
                bubbleError += Math.abs(r.bubble() - r.bubbleFormula());
                bubbleRows++;
            }
        }
        bubbleError /= Math.max(1, bubbleRows);
        System.out.printf("%nK=2, M=8, NEVER vs non-pipelined 1 thread: %.2fx samples/s (target >= 1.5, ideal %.2f)%n",
                speedup1, org.leantrain.pipeline.Schedule.idealSpeedup(2, 8));
        System.out.printf("K=2, M=8, NEVER vs non-pipelined 2 threads: %.2fx (target >= 1.0)%n", speedup2);
        System.out.printf("ALWAYS vs NEVER time at M=8: %.2fx (target <= 1.35)%n", alwaysVsNever);
        System.out.printf("ALWAYS peak bytes per stage at M=8 / non-pipelined: %.3f (target <= 0.35)%n", alwaysPeak);
        System.out.printf("1F1B / GPipe stage-0 peak at M=16, NEVER: %.3f (target <= %.3f)%n", f1b1Peak, 2.0 / 16 + 0.05);
        System.out.printf("measured bubble vs (K-1)/(M+K-1), GPipe NEVER rows: mean |error| %.3f (target <= 0.05)%n",
                bubbleError);
        metrics.put("speedup_k2_m8_vs_1thread", speedup1).put("speedup_k2_m8_vs_2threads", speedup2)
                .put("always_vs_never_time_ratio", alwaysVsNever).put("always_peak_bytes_ratio_m8", alwaysPeak)
                .put("f1b1_stage0_peak_ratio_m16", f1b1Peak).put("bubble_abs_error", bubbleError)
                .put("nonpipelined_1thread_ms_per_step", base1.msPerStep())
                .put("nonpipelined_2threads_ms_per_step", base2.msPerStep())
                .put("k2_m8_never_ms_per_step", never8.msPerStep());
        rows.stream().filter(r -> r.config().name().equals(Config.gradAccumulation(8).name())).findFirst()
                .ifPresent(accumulation -> {
                    double gain = accumulation.msPerStep() / never8.msPerStep();
                    System.out.printf("pipelining gain over the same 8 micro-batches run one after another on one thread:"
                            + " %.2fx (ideal %.2f; micro-batching alone costs %.2fx over one full batch)%n", gain,
                            Schedule.idealSpeedup(2, 8), accumulation.msPerStep() / base1.msPerStep());
                    metrics.put("pipelining_gain_vs_grad_accumulation_m8", gain)
                            .put("grad_accumulation_m8_vs_full_batch_time", accumulation.msPerStep() / base1.msPerStep());
                });
        plots(rows, base1, dir);
    }

    private static void plots(List<Row> rows, Row base1, Path dir) throws IOException {
        Map<String, double[][]> speed = new LinkedHashMap<>();
        Map<String, double[][]> memory = new LinkedHashMap<>();
        for (CheckpointMode mode : new CheckpointMode[] {CheckpointMode.NEVER, CheckpointMode.ALWAYS}) {
            List<Row> series = rows.stream().filter(r -> r.config().pipelined() && r.config().checkpoint() == mode
                    && r.config().schedule() == Schedule.GPIPE).toList();
            if (series.isEmpty()) {
                continue;
            }
            double[] m = series.stream().mapToDouble(r -> r.config().micro()).toArray();
            speed.put("GPipe " + mode, new double[][] {m,
                series.stream().mapToDouble(r -> base1.msPerStep() / r.msPerStep()).toArray()});
            memory.put("GPipe " + mode + " (measured, max over stages)", new double[][] {m,
                series.stream().mapToDouble(r -> max(r.peakBytes()) / 1048576.0).toArray()});
            memory.put("GPipe " + mode + " (memory model)", new double[][] {m,
                series.stream().mapToDouble(r -> max(r.predictedPeakBytes()) / 1048576.0).toArray()});
            if (mode == CheckpointMode.NEVER) {
                speed.put("ideal M·K/(M+K−1)", new double[][] {m,
                    java.util.Arrays.stream(m).map(x -> Schedule.idealSpeedup(2, (int) x)).toArray()});
            }
        }
        Plots.lines(dir.resolve("speedup.png"), "samples/s relative to non-pipelined on 1 thread", "micro-batches M",
                "speed-up", speed, false);
        double baseMib = base1.peakBytes()[0] / 1048576.0;
        memory.put("non-pipelined (whole model)", new double[][] {new double[] {1, 16}, new double[] {baseMib, baseMib}});
        Plots.lines(dir.resolve("peak_memory.png"), "peak saved bytes per stage", "micro-batches M", "MiB", memory,
                false);
    }

    private static double max(long[] v) {
        return max(java.util.Arrays.stream(v).asDoubleStream().toArray());
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.3f", v);
    }

    private static String mib(long[] bytes) {
        return mib(java.util.Arrays.stream(bytes).asDoubleStream().toArray());
    }

    private static String mib(double[] bytes) {
        StringBuilder s = new StringBuilder();
        for (double b : bytes) {
            s.append(s.length() == 0 ? "" : "/").append(String.format("%.1f", b / 1048576.0));
        }
        return s.toString();
    }
}
