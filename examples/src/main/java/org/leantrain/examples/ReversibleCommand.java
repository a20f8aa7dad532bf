package org.leantrain.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.leantrain.core.data.CharCorpus;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.reversible.BigramLM;
import org.leantrain.reversible.ConversionMode;
import org.leantrain.reversible.Converter;
import org.leantrain.reversible.DevilsDictionary;
import org.leantrain.reversible.DistillationLoss;
import org.leantrain.reversible.LanguageModel;
import org.leantrain.reversible.LmShape;
import org.leantrain.reversible.ReversibleLM;
import org.leantrain.reversible.StandardLM;
import org.leantrain.reversible.experiments.CharLmTraining;
import org.leantrain.reversible.experiments.CharLmTraining.Result;
import org.leantrain.reversible.experiments.CharLmTraining.Settings;
import org.leantrain.reversible.experiments.SavedBytes;
import org.leantrain.reversible.experiments.Systems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code leantrain reversible}: the quick char-LM experiment of the reversible-llm spec (§7) on The Devil's
 * Dictionary — standard baseline vs reversible rules at equal steps, the saved-bytes-vs-depth sweep, and the
 * conversion of the trained baseline into reversible models followed by fine-tuning.
 */
@Command(name = "reversible", mixinStandardHelpOptions = true,
        description = "Reversible transformers (midpoint/leapfrog/Hamiltonian) vs the standard LM on The Devil's"
                + " Dictionary; memory vs depth; conversion of the trained standard LM by fine-tuning.")
public final class ReversibleCommand implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--text", defaultValue = "../shared/data/devil/devil.dict.dz",
            description = "The Devil's Dictionary, devil.dict.dz (default: ${DEFAULT-VALUE})")
    Path text;

    @Option(names = "--steps", defaultValue = "300",
            description = "training steps of each model (default: ${DEFAULT-VALUE}, the spec's quick config)")
    int steps;

    @Option(names = "--layers", defaultValue = "6", description = "transformer blocks L (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--all", description = "also train LEAPFROG, HAMILTONIAN and STOCHASTIC_MIDPOINT")
    boolean all;

    @Option(names = "--finetune-steps", defaultValue = "100",
            description = "fine-tuning steps after conversion; 0 skips the conversion run (default: ${DEFAULT-VALUE})")
    int finetuneSteps;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || layers < 1 || finetuneSteps < 0) {
            throw new IllegalArgumentException("--steps and --layers must be >= 1 and --finetune-steps >= 0, got "
                    + steps + ", " + layers + ", " + finetuneSteps);
        }
        CharCorpus corpus = DevilsDictionary.load(text); // before the results folder: a bad --text leaves nothing
        Path dir = run.start("reversible");
        System.out.println("reversible: results in " + dir);
        Metrics metrics = new Metrics();
        BigramLM bigram = new BigramLM(corpus.train(), corpus.vocabularySize());
        double bigramCe = bigram.crossEntropy(corpus.validation());
        metrics.put("val_ce_bigram", bigramCe);
        System.out.printf("floors (val CE, nats): bigram %.4f  unigram %.4f  uniform %.4f%n", bigramCe,
                bigram.unigramCrossEntropy(corpus.validation()), Math.log(corpus.vocabularySize()));

        memorySweep(corpus.vocabularySize(), dir, metrics);
        metrics.write(dir);

        LmShape shape = Systems.quickShape(corpus.vocabularySize(), layers);
        Settings settings = Settings.quick(steps);
        List<Systems> systems = new ArrayList<>(List.of(Systems.STANDARD, Systems.MIDPOINT));
        if (all) {
            systems.addAll(List.of(Systems.LEAPFROG, Systems.HAMILTONIAN, Systems.STOCHASTIC_MIDPOINT));
        }
        System.out.printf("%nquick: L = %d, d = 64, 4 heads, T = 64, B = 32, %d steps, AdamW lr 3e-3, seed 0%n",
                layers, steps);
        Map<String, double[][]> valCurves = new LinkedHashMap<>();
        StringBuilder table = new StringBuilder("system,val_ce,bits_per_char,ms_per_step,peak_saved_bytes\n");
        StandardLM baseline = null;
        for (Systems s : systems) {
            LanguageModel model = s.build(shape, 0);
            Result r = CharLmTraining.train(s.label(), model, corpus, settings);
            report(s.label(), r, 0, dir, valCurves, table, metrics);
            metrics.put("val_ce_" + s.label(), r.valCe());
            if (s == Systems.STANDARD) {
                baseline = (StandardLM) model;
            }
            metrics.write(dir);
        }
        if (finetuneSteps > 0) {
            conversion(baseline, corpus, settings, dir, valCurves, table, metrics);
        }
        java.nio.file.Files.writeString(dir.resolve("reversible_summary.csv"), table);
        Plots.lines(dir.resolve("reversible_val_ce.png"), "validation cross-entropy (The Devil's Dictionary)", "step",
                "val CE (nats); fine-tuning runs start after pre-training", valCurves, false);
        System.out.println("\nmetrics: " + metrics.write(dir));
        return 0;
    }

    /** Prints and records a run; its validation curve is drawn from step {@code offset} (after pre-training). */
    private static void report(String name, Result r, int offset, Path dir, Map<String, double[][]> valCurves,
                               StringBuilder table, Metrics metrics) throws Exception {
        r.curve().write(dir.resolve("curve_" + name + ".csv"));
        double[] steps = r.curve().column("step");
        double[] val = r.curve().column("val_ce");
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            if (!Double.isNaN(val[i])) {
                points.add(new double[] {offset + steps[i], val[i]});
            }
        }
        double[][] xy = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            xy[0][i] = points.get(i)[0];
            xy[1][i] = points.get(i)[1];
        }
        valCurves.put(name, xy);
        table.append(String.format("%s,%.6f,%.6f,%.2f,%d%n", name, r.valCe(), r.valCe() / Math.log(2), r.msPerStep(),
                r.peakSavedBytes()));
        System.out.printf("  %-22s val CE %.4f nats (%.3f bits/char)  %.0f ms/step  peak saved %.1f MiB%n", name,
                r.valCe(), r.valCe() / Math.log(2), r.msPerStep(), r.peakSavedBytes() / 1048576.0);
    }

    /** Spec §7 memory-versus-depth: one forward + backward at B = 32 for each depth and system. */
    private static void memorySweep(int vocab, Path dir, Metrics metrics) throws Exception {
        int[] depths = {2, 4, 8, 16, 32};
        Systems[] systems = {Systems.STANDARD, Systems.CHECKPOINTED, Systems.MIDPOINT, Systems.HAMILTONIAN};
        System.out.println("\nsaved bytes for backward, B = 32, T = 64, d = 64 (MiB):");
        CsvTable csv = new CsvTable("layers", "standard", "checkpointed", "midpoint", "hamiltonian");
        Map<String, double[][]> series = new LinkedHashMap<>();
        double[][] bytes = SavedBytes.sweep(systems, depths, vocab, 32);
        for (int i = 0; i < depths.length; i++) {
            StringBuilder line = new StringBuilder(String.format("  L = %2d", depths[i]));
            for (int s = 0; s < systems.length; s++) {
                line.append(String.format("  %s %.1f", systems[s].label(), bytes[s][i] / 1048576.0));
            }
            csv.add(depths[i], bytes[0][i], bytes[1][i], bytes[2][i], bytes[3][i]);
            System.out.println(line);
        }
        double[] x = java.util.Arrays.stream(depths).asDoubleStream().toArray();
        for (int s = 0; s < systems.length; s++) {
            series.put(systems[s].label(), new double[][] {x, bytes[s]});
        }
        csv.write(dir.resolve("memory_vs_depth.csv"));
        Plots.lines(dir.resolve("memory_vs_depth.png"), "saved bytes for backward vs depth (B = 32, T = 64, d = 64)",
                "layers L", "bytes (log scale)", series, true);
        metrics.put("saved_bytes_ratio_l16", bytes[0][3] / bytes[2][3]);
        metrics.put("saved_bytes_ratio_l32", bytes[0][4] / bytes[2][4]);
        metrics.put("saved_bytes_ratio_checkpointed_l16", bytes[1][3] / bytes[2][3]);
        System.out.printf("  standard / midpoint: %.1fx at L = 16, %.1fx at L = 32; checkpointed / midpoint %.2fx"
                + " at L = 16%n", bytes[0][3] / bytes[2][3], bytes[0][4] / bytes[2][4], bytes[1][3] / bytes[2][3]);
    }

    /** Spec §7 conversion: zero-shot CE of each conversion, then fine-tuning against continuing the baseline. */
    private void conversion(StandardLM baseline, CharCorpus corpus, Settings settings, Path dir,
                            Map<String, double[][]> valCurves, StringBuilder table, Metrics metrics) throws Exception {
        int[] val = corpus.validation();
        System.out.printf("%nconversion of the trained standard LM (val CE %.4f):%n", baseline.evaluate(val, 64, 32));
        for (ConversionMode mode : ConversionMode.values()) {
            double ce = Converter.convert(baseline, mode).evaluate(val, 64, 32);
            metrics.put("zero_shot_ce_" + mode.name().toLowerCase(), ce);
            System.out.printf("  zero-shot %-15s val CE %.4f%n", mode, ce);
        }
        Settings finetune = new Settings(finetuneSteps, settings.batch(), settings.context(), 1e-3, 10,
                Math.max(1, finetuneSteps / 2), settings.seed() + 1);
        StandardLM continued = (StandardLM) Systems.STANDARD.build(baseline.shape(), 0);
        Converter.copyWeights(baseline, continued);
        Result cont = CharLmTraining.train("baseline continued", continued, corpus, finetune);
        report("baseline_continued", cont, settings.steps(), dir, valCurves, table, metrics);
        metrics.put("val_ce_baseline_continued", cont.valCe());
        double best = Double.POSITIVE_INFINITY;
        for (Object[] variant : new Object[][] {{ConversionMode.CENTRAL, 0.0}, {ConversionMode.CENTRAL, 0.5},
                {ConversionMode.TWO_BLOCK, 0.0}}) {
            ConversionMode mode = (ConversionMode) variant[0];
            double alpha = (Double) variant[1];
            ReversibleLM student = Converter.convert(baseline, mode);
            String name = mode.name().toLowerCase() + (alpha > 0 ? "_distilled" : "") + "_finetuned";
            Result r = CharLmTraining.train(name, student, corpus, finetune, alpha > 0 ? baseline : null,
                    alpha > 0 ? new DistillationLoss(alpha, 1) : null);
            report(name, r, settings.steps(), dir, valCurves, table, metrics);
            metrics.put("val_ce_" + name, r.valCe());
            best = Math.min(best, r.valCe());
        }
        metrics.put("conversion_ce_gap", best - cont.valCe());
        System.out.printf("  best converted + fine-tuned minus baseline continued: %+.4f nats%n", best - cont.valCe());
    }
}
