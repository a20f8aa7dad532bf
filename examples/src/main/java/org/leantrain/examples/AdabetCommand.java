package org.leantrain.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.leantrain.core.nn.Module;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Rng;
import org.leantrain.layerselect.AdaptationTask;
import org.leantrain.layerselect.LayerSelectExperiment;
import org.leantrain.layerselect.LayerSelectExperiment.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code leantrain adabet}: the quick experiment of the layer-select spec §7, AdaBet beside its baselines. */
@Command(name = "adabet", mixinStandardHelpOptions = true,
        description = "Pretrain on MNIST digits 0-4, adapt to 5-9 training only the layers each strategy selects"
                + " (AdaBet, AdaBet-raw, full fine-tuning, gradient norm, Fisher, last-k, head only, random);"
                + " the same on Fashion-MNIST when its files are present.")
public final class AdabetCommand implements Callable<Integer> {
    /** Reference accuracies of spec §7 (PyTorch, 3 seeds) by task/model and strategy, for the port sanity check. */
    private static final Map<String, Map<String, Double>> REFERENCE = Map.of(
            "digits/cnn7", Map.of("Full", 97.2, "AdaBet", 86.9, "AdaBet-raw", 96.5, "GradNorm", 86.9, "Fisher", 86.9,
                    "LastK(2)", 86.9, "HeadOnly", 70.9, "Random(2)", 84.6),
            "digits/mlp6", Map.of("Full", 94.3, "AdaBet", 93.4, "AdaBet-raw", 94.1, "GradNorm", 93.4, "Fisher", 93.4,
                    "LastK(2)", 60.9, "HeadOnly", 55.7, "Random(2)", 80.4),
            "fashion/cnn7", Map.of("Full", 80.8, "AdaBet", 65.9, "AdaBet-raw", 64.7, "GradNorm", 65.9, "Fisher", 65.9,
                    "LastK(2)", 65.9, "HeadOnly", 50.9, "Random(2)", 64.1),
            "fashion/mlp6", Map.of("Full", 75.2, "AdaBet", 66.1, "AdaBet-raw", 72.9, "GradNorm", 78.8, "Fisher", 78.8,
                    "LastK(2)", 54.0, "HeadOnly", 48.6, "Random(2)", 65.7));

    @Mixin
    RunOptions run;

    @Option(names = "--data", defaultValue = "../shared/data/mnist", description = "MNIST directory (default: ${DEFAULT-VALUE})")
    Path mnistDir;

    @Option(names = "--fashion-data", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "Fashion-MNIST directory; task B is skipped when it is absent (default: ${DEFAULT-VALUE})")
    Path fashionDir;

    @Option(names = "--tasks", split = ",", defaultValue = "digits,fashion",
            description = "tasks: digits (A), fashion (B; skipped with a note when its files are absent) (default: "
                    + "${DEFAULT-VALUE})")
    List<String> taskNames;

    @Option(names = "--mlp-seeds", defaultValue = "3", description = "mlp6 seeds 0..n-1 (default: ${DEFAULT-VALUE})")
    int mlpSeeds;

    @Option(names = "--cnn-seeds", defaultValue = "1", description = "cnn7 seeds 0..n-1 (default: ${DEFAULT-VALUE})")
    int cnnSeeds;

    @Option(names = "--adapt-epochs", defaultValue = "3", description = "adaptation epochs (default: ${DEFAULT-VALUE})")
    int adaptEpochs;

    @Override
    public Integer call() throws Exception {
        if (mlpSeeds < 0 || cnnSeeds < 0 || mlpSeeds + cnnSeeds == 0) {
            throw new IllegalArgumentException("--mlp-seeds and --cnn-seeds must be >= 0 and not both 0, got "
                    + mlpSeeds + ", " + cnnSeeds);
        }
        if (adaptEpochs < 1) {
            throw new IllegalArgumentException("--adapt-epochs must be >= 1, got " + adaptEpochs);
        }
        for (String t : taskNames) {
            if (!List.of("digits", "fashion").contains(t)) {
                throw new IllegalArgumentException("--tasks: unknown task '" + t + "'; choose from digits, fashion");
            }
        }
        List<AdaptationTask> tasks = new ArrayList<>();
        if (taskNames.contains("digits")) {
            tasks.add(AdaptationTask.digits(mnistDir, 10_000)); // a bad --data fails before the results folder exists
        }
        if (taskNames.contains("fashion") && Files.isDirectory(fashionDir)) {
            tasks.add(AdaptationTask.fashion(mnistDir, fashionDir, 10_000));
        } else if (taskNames.contains("fashion")) {
            System.out.println("Task B (fashion) skipped: " + fashionDir + " not found (install the Debian package "
                    + "dataset-fashion-mnist or pass --fashion-data DIR)");
        }
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no task to run: Fashion-MNIST is absent and --tasks has no digits");
        }
        Path dir = run.start("adabet");
        System.out.println("adabet: results in " + dir);
        Metrics metrics = new Metrics();
        List<Row> all = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (AdaptationTask task : tasks) {
            runModel(task, "mlp6", LayerSelectExperiment::mlp6, 0.34, mlpSeeds, all, groups, metrics);
            runModel(task, "cnn7", LayerSelectExperiment::cnn7, 0.3, cnnSeeds, all, groups, metrics);
            metrics.write(dir);
        }
        write(dir, all, groups);
        System.out.println("metrics: " + metrics.write(dir));
        return 0;
    }

    private void runModel(AdaptationTask task, String model, BiFunction<Integer, Rng, Module> factory, double rho,
            int seeds, List<Row> all, List<String> groups, Metrics metrics) {
        if (seeds == 0) {
            return;
        }
        LayerSelectExperiment.Config config = LayerSelectExperiment.Config.quick(rho, 2);
        config = new LayerSelectExperiment.Config(config.adaptationSize(), config.pretrain(),
                new org.leantrain.layerselect.SelectiveTrainer.Settings(adaptEpochs, 32, 1e-3), rho, 2);
        LayerSelectExperiment experiment = new LayerSelectExperiment(task, config);
        String group = task.name() + "/" + model;
        groups.add(group);
        List<Row> rows = new ArrayList<>();
        for (long seed = 0; seed < seeds; seed++) {
            System.out.printf("%n%s, seed %d: pretraining and adapting ...%n", group, seed);
            rows.addAll(experiment.run(model, factory, seed));
        }
        all.addAll(rows.stream().map(r -> new Row(group, r.seed(), r.strategy(), r.layers(), r.selectionMillis(),
                r.report())).toList());
        Map<String, List<Row>> byStrategy = new LinkedHashMap<>();
        rows.forEach(r -> byStrategy.computeIfAbsent(r.strategy(), k -> new ArrayList<>()).add(r));
        Stats full = Stats.of(byStrategy.get("Full"));
        System.out.printf("%n%s (%d seed%s, k = 2; test accuracy %%, ref = spec §7 PyTorch run, same selection only where"
                + " the layers agree; bytes per step of batch 32)%n", group, seeds, seeds > 1 ? "s" : "");
        System.out.printf("%-11s %13s %12s %12s %10s %12s %8s %9s  %s%n", "strategy", "accuracy", "ref (Δ)", "saved bytes",
                "ratio", "Adam state", "ms/step", "select ms", "layers (each seed)");
        Map<String, Double> reference = REFERENCE.getOrDefault(group, Map.of());
        for (Map.Entry<String, List<Row>> e : byStrategy.entrySet()) {
            Stats s = Stats.of(e.getValue());
            System.out.printf("%-11s %6.1f ± %4.1f %12s %12.0f %10.4f %12.0f %8.1f %9.0f  %s%n", e.getKey(),
                    100 * s.accuracy, 100 * s.accuracySd, reference.containsKey(e.getKey()) ? String.format("%.1f (%+.1f)",
                            reference.get(e.getKey()), 100 * s.accuracy - reference.get(e.getKey())) : "-",
                    s.savedBytes, s.savedBytes / full.savedBytes, s.stateBytes, s.msPerStep, s.selectionMs,
                    e.getValue().stream().map(r -> String.join("+", r.layers())).toList());
            String key = (task.name().equals("digits") ? "" : task.name() + "_") + model + "_"
                    + e.getKey().toLowerCase().replace("lastk(2)", "lastk").replace("random(2)", "random")
                    .replace("adabet-raw", "adabet_raw").replace("headonly", "headonly");
            metrics.put(key + "_accuracy", s.accuracy);
            metrics.put(key + "_saved_bytes_ratio", s.savedBytes / full.savedBytes);
            metrics.put(key + "_state_bytes_ratio", s.stateBytes / full.stateBytes);
            metrics.put(key + "_step_time_ratio", s.msPerStep / full.msPerStep);
            if (s.selectionMs > 0) {
                metrics.put(key + "_selection_ms", s.selectionMs);
            }
        }
        Stats adabet = Stats.of(byStrategy.get("AdaBet"));
        Stats lastK = Stats.of(byStrategy.get("LastK(2)"));
        Stats head = Stats.of(byStrategy.get("HeadOnly"));
        Stats grad = Stats.of(byStrategy.get("GradNorm"));
        System.out.printf("AdaBet − LastK(2) %+.1f points, AdaBet − Full %+.1f, AdaBet − HeadOnly %+.1f, AdaBet − "
                        + "GradNorm %+.1f; AdaBet saved bytes %.4f× and step time %.2f× of Full%n",
                100 * (adabet.accuracy - lastK.accuracy), 100 * (adabet.accuracy - full.accuracy),
                100 * (adabet.accuracy - head.accuracy), 100 * (adabet.accuracy - grad.accuracy),
                adabet.savedBytes / full.savedBytes, adabet.msPerStep / full.msPerStep);
    }

    /** Means over seeds of one strategy's rows. */
    private record Stats(double accuracy, double accuracySd, double savedBytes, double stateBytes, double msPerStep,
            double selectionMs) {
        static Stats of(List<Row> rows) {
            double[] acc = rows.stream().mapToDouble(r -> r.report().testAccuracy()).toArray();
            double mean = java.util.Arrays.stream(acc).average().orElse(Double.NaN);
            double sd = acc.length < 2 ? 0 : Math.sqrt(java.util.Arrays.stream(acc).map(a -> (a - mean) * (a - mean))
                    .sum() / (acc.length - 1));
            return new Stats(mean, sd,
                    rows.stream().mapToDouble(r -> r.report().peakSavedActivationBytes()).average().orElse(0),
                    rows.stream().mapToDouble(r -> r.report().optimizerStateBytes()).average().orElse(0),
                    rows.stream().mapToDouble(r -> r.report().millisPerStep()).average().orElse(0),
                    rows.stream().mapToDouble(Row::selectionMillis).average().orElse(0));
        }
    }

    private static void write(Path dir, List<Row> rows, List<String> groups) throws Exception {
        List<String> strategies = rows.stream().map(Row::strategy).distinct().toList();
        CsvTable csv = new CsvTable("group", "seed", "strategy", "accuracy", "peak_saved_bytes", "optimizer_state_bytes",
                "trainable_params", "ms_per_step", "selection_ms");
        StringBuilder legend = new StringBuilder("group,seed,strategy,layers\n");
        for (Row r : rows) {
            csv.add(groups.indexOf(r.model()), r.seed(), strategies.indexOf(r.strategy()), r.report().testAccuracy(),
                    r.report().peakSavedActivationBytes(), r.report().optimizerStateBytes(),
                    r.report().trainableParams(), r.report().millisPerStep(), r.selectionMillis());
            legend.append(r.model()).append(',').append(r.seed()).append(',').append(r.strategy()).append(',')
                    .append(String.join("+", r.layers())).append('\n');
        }
        csv.write(dir.resolve("adabet_runs.csv"));
        Files.writeString(dir.resolve("adabet_runs_legend.csv"), "# group index: " + groups + "; strategy index: "
                + strategies + "\n" + legend);
        Map<String, double[]> series = new LinkedHashMap<>();
        for (String g : groups) {
            double[] acc = new double[strategies.size()];
            for (int s = 0; s < strategies.size(); s++) {
                String name = strategies.get(s);
                acc[s] = 100 * rows.stream().filter(r -> r.model().equals(g) && r.strategy().equals(name))
                        .mapToDouble(r -> r.report().testAccuracy()).average().orElse(0);
            }
            series.put(g, acc);
        }
        Plots.bars(dir.resolve("adabet_accuracy.png"), "Test accuracy after adaptation, by layer-selection strategy "
                + "(mean over seeds)", "accuracy %", strategies, series);
    }
}
