package org.leantrain.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Rng;
import org.leantrain.examples.Plots;
import org.leantrain.examples.RunOptions;
import org.nd4j.linalg.api.buffer.DataType;
import org.leantrain.reversible.LanguageModel;
import org.leantrain.reversible.LmShape;
import org.leantrain.reversible.MemoryProbe;
import org.leantrain.reversible.ReversibleConfig;
import org.leantrain.reversible.ReversibleRule;
import org.leantrain.reversible.StateMode;
import org.leantrain.reversible.experiments.DriftSetup;
import org.leantrain.reversible.experiments.SavedBytes;
import org.leantrain.reversible.experiments.Systems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code leantrain-bench reversible}: the spec §8 table of the reversible-llm module from one run — step time at a
 * fixed batch (interleaved), saved bytes against depth, the largest batch under a saved-bytes budget, and tokens/s
 * at each model's own largest batch — for the standard LM, the checkpointed standard LM and the reversible rules,
 * with PyTorch running the standard LM as a speed reference.
 */
@Command(name = "reversible", mixinStandardHelpOptions = true,
        description = "Reversible vs standard vs checkpointed transformer LMs: step time, saved bytes vs depth,"
                + " max batch under a budget, tokens/s at max batch; PyTorch peer.")
public final class ReversibleBench implements Callable<Integer> {
    private static final int VOCAB = 85; // The Devil's Dictionary's alphabet; data are random ids of it
    private static final int T = 64;

    @Mixin
    RunOptions run;

    @Option(names = "--rounds", defaultValue = "5", description = "interleaved timing rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--budget-mib", defaultValue = "64",
            description = "saved-bytes budget for the max-batch search (default: ${DEFAULT-VALUE})")
    int budgetMib;

    @Option(names = "--parts", split = ",", defaultValue = "time,memory,bmax,drift",
            description = "what to measure, comma-separated: time, memory, bmax, drift (default: ${DEFAULT-VALUE})")
    List<String> parts;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with PyTorch for the peer timing (default: ${DEFAULT-VALUE})")
    String python;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || budgetMib < 1) {
            throw new IllegalArgumentException("--rounds and --budget-mib must be >= 1");
        }
        Parts.check(parts, "time", "memory", "bmax", "drift");
        int threads = run.threads(2);
        Path dir = run.start("bench-reversible");
        Metrics metrics = new Metrics();

        if (parts.contains("time")) {
            stepTimes(threads, dir, metrics);
        }
        if (parts.contains("memory")) {
            savedBytesVsDepth(dir, metrics);
        }
        if (parts.contains("bmax")) {
            maxBatch(metrics);
        }
        if (parts.contains("drift")) {
            drift(dir, metrics);
        }
        System.out.println("\nmetrics: " + metrics.write(dir));
        return 0;
    }

    private void stepTimes(int threads, Path dir, Metrics metrics) throws Exception {
        System.out.printf("step time, L = 6, B = 32, T = 64, d = 64 (forward + backward + AdamW), %d threads,"
                + " %d interleaved rounds:%n", threads, rounds);
        Systems[] timed = {Systems.STANDARD, Systems.CHECKPOINTED, Systems.MIDPOINT, Systems.LEAPFROG,
                Systems.HAMILTONIAN};
        Runnable[] steps = new Runnable[timed.length];
        for (int s = 0; s < timed.length; s++) {
            steps[s] = trainingStep(timed[s].build(Systems.quickShape(VOCAB, 6), 0), 32);
        }
        double[] ms = Timing.interleaved(rounds, 1, steps);
        CsvTable timeCsv = new CsvTable("system_index", "ms_per_step");
        for (int s = 0; s < timed.length; s++) {
            timeCsv.add(s, ms[s]);
            System.out.printf("  %-13s %7.0f ms  (%.2fx standard)%n", timed[s].label(), ms[s], ms[s] / ms[0]);
        }
        timeCsv.write(dir.resolve("step_times.csv"));
        metrics.put("step_ms_standard", ms[0]).put("step_ms_checkpointed", ms[1]).put("step_ms_midpoint", ms[2]);
        metrics.put("step_time_ratio", ms[2] / ms[0]);
        metrics.put("step_time_ratio_vs_checkpointed", ms[2] / ms[1]);
        metrics.put("step_time_ratio_leapfrog", ms[3] / ms[0]);
        metrics.put("step_time_ratio_hamiltonian", ms[4] / ms[0]);
        TorchPeer.Result torch = TorchPeer.run(python, "reversible_standard_step.py", threads, 20);
        if (torch.ok()) {
            System.out.printf("  PyTorch %s standard: %.0f ms  (Java standard / PyTorch %.2fx)%n", torch.version(),
                    torch.msPerStep(), ms[0] / torch.msPerStep());
            metrics.put("step_ms_torch_standard", torch.msPerStep()).put("step_ratio_vs_torch", ms[0] / torch.msPerStep());
        } else {
            System.out.println("  PyTorch peer skipped: " + torch.problem());
            metrics.missing("step_ms_torch_standard");
        }
        metrics.write(dir);
    }

    private static void savedBytesVsDepth(Path dir, Metrics metrics) throws Exception {
        System.out.println("\nsaved bytes for backward, B = 32 (MiB):");
        int[] depths = {2, 4, 8, 16, 32};
        Systems[] swept = {Systems.STANDARD, Systems.CHECKPOINTED, Systems.MIDPOINT};
        CsvTable bytesCsv = new CsvTable("layers", "standard", "checkpointed", "midpoint");
        double[][] bytes = SavedBytes.sweep(swept, depths, VOCAB, 32);
        for (int i = 0; i < depths.length; i++) {
            bytesCsv.add(depths[i], bytes[0][i], bytes[1][i], bytes[2][i]);
            System.out.printf("  L = %2d  standard %7.1f  checkpointed %6.1f  midpoint %6.1f%n", depths[i],
                    bytes[0][i] / 1048576.0, bytes[1][i] / 1048576.0, bytes[2][i] / 1048576.0);
        }
        bytesCsv.write(dir.resolve("saved_bytes_vs_depth.csv"));
        Map<String, double[][]> series = new LinkedHashMap<>();
        double[] x = Arrays.stream(depths).asDoubleStream().toArray();
        for (int s = 0; s < swept.length; s++) {
            series.put(swept[s].label(), new double[][] {x, bytes[s]});
        }
        Plots.lines(dir.resolve("saved_bytes_vs_depth.png"), "saved bytes for backward vs depth (B = 32, T = 64, d = 64)",
                "layers L", "bytes (log scale)", series, true);
        metrics.put("saved_bytes_ratio_l16", bytes[0][3] / bytes[2][3]);
        metrics.put("saved_bytes_ratio_l32", bytes[0][4] / bytes[2][4]);
        metrics.put("saved_bytes_ratio_checkpointed_l16", bytes[1][3] / bytes[2][3]);
        System.out.printf("  standard / midpoint %.1fx (L = 16), %.1fx (L = 32); checkpointed / midpoint %.2fx (L = 16)%n",
                bytes[0][3] / bytes[2][3], bytes[0][4] / bytes[2][4], bytes[1][3] / bytes[2][3]);
        metrics.write(dir);
    }

    private void maxBatch(Metrics metrics) {
        long budget = budgetMib * 1048576L;
        System.out.printf("%nL = 16: largest batch within %d MiB of saved bytes, and tokens/s at it:%n", budgetMib);
        Map<Systems, double[]> atMax = new LinkedHashMap<>();
        for (Systems s : List.of(Systems.STANDARD, Systems.CHECKPOINTED, Systems.MIDPOINT)) {
            LmShape shape = Systems.quickShape(VOCAB, 16);
            int bmax = MemoryProbe.maxBatch(b -> SavedBytes.peak(s.build(shape, 0), b), budget, 4096);
            if (bmax < 1) {
                throw new IllegalStateException(s.label() + " does not fit one sequence in " + budgetMib + " MiB");
            }
            double stepMs = Timing.medianMillis(1, 3, trainingStep(s.build(shape, 0), bmax));
            double tokensPerS = bmax * (double) T / (stepMs / 1000);
            atMax.put(s, new double[] {bmax, tokensPerS});
            System.out.printf("  %-13s B_max %4d  %7.0f ms/step  %8.0f tokens/s%n", s.label(), bmax, stepMs, tokensPerS);
            metrics.put("bmax_" + s.label() + "_l16", bmax).put("tokens_per_s_" + s.label() + "_l16", tokensPerS);
        }
        double[] std = atMax.get(Systems.STANDARD);
        double[] mid = atMax.get(Systems.MIDPOINT);
        metrics.put("bmax_ratio_l16", mid[0] / std[0]);
        metrics.put("tokens_per_s_ratio_at_bmax", mid[1] / std[1]);
        System.out.printf("  midpoint / standard: B_max %.1fx, tokens/s %.2fx%n", mid[0] / std[0], mid[1] / std[1]);
    }

    /** Spec §2 drift table: e_rec after a no-grad forward, for init and grown (×4) weights, float32 and float64. */
    private static void drift(Path dir, Metrics metrics) throws Exception {
        System.out.println("\nreconstruction drift e_rec (d = 64, 4 heads, T = 32, B = 4):");
        CsvTable csv = new CsvTable("rule_index", "layers", "weight_scale", "float64", "checkpoint_every", "e_rec");
        List<ReversibleRule> rules = List.of(new ReversibleRule.Midpoint(0.5), new ReversibleRule.Leapfrog(1),
                ReversibleRule.StochasticMidpoint.sample(64, 1, new Rng(11)), new ReversibleRule.Hamiltonian());
        String[] names = {"midpoint", "leapfrog", "stoch_mid", "hamiltonian"};
        int[][] settings = {{16, 1, 0}, {16, 1, 1}, {64, 1, 0}, {64, 1, 1}, {64, 4, 0}, {64, 4, 1}};
        for (int[] st : settings) {
            StringBuilder line = new StringBuilder(String.format("  %-5s L = %2d %s:", st[1] == 1 ? "init" : "grown",
                    st[0], st[2] == 1 ? "f64" : "f32"));
            for (int r = 0; r < rules.size(); r++) {
                ReversibleRule rule = DriftSetup.forDepth(rules.get(r), st[0]);
                DataType type = st[2] == 1 ? DataType.DOUBLE : DataType.FLOAT;
                double e = DriftSetup.drift(rule, st[0], type, st[1], ReversibleConfig.NO_CHECKPOINTS, StateMode.FLOAT);
                csv.add(r, st[0], st[1], st[2], 0, e);
                line.append(String.format("  %s %.1e", names[r], e));
                if (st[0] == 64 && st[1] == 4 && st[2] == 0) {
                    metrics.put("drift_grown_l64_f32_" + names[r], e);
                }
            }
            System.out.println(line);
        }
        StringBuilder line = new StringBuilder("  grown L = 64 f32, pair kept every 4 layers:");
        for (int r = 0; r < 3; r++) {
            double e = DriftSetup.drift(rules.get(r), 64, DataType.FLOAT, 4, 4, StateMode.FLOAT);
            csv.add(r, 64, 4, 0, 4, e);
            line.append(String.format("  %s %.1e", names[r], e));
        }
        System.out.println(line);
        csv.write(dir.resolve("drift.csv"));
    }

    /** One training step on fixed random windows: forward, backward, AdamW, inside a step workspace. */
    private static Runnable trainingStep(LanguageModel model, int batch) {
        Rng rng = new Rng(3);
        int[][] in = SavedBytes.randomIds(batch, T, VOCAB, rng);
        int[][] target = SavedBytes.randomIds(batch, T, VOCAB, rng);
        Adam optimizer = new Adam(model.trainableParameters(), 1e-4, 0.9, 0.95, 1e-8, 0, true);
        return () -> {
            try (StepMemory ignored = StepMemory.open()) {
                Tensor loss = model.loss(in, target);
                loss.item();
                loss.backward();
                optimizer.step();
                optimizer.zeroGrad();
            }
        };
    }
}
