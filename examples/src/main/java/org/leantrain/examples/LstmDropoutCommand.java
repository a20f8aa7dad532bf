package org.leantrain.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Rng;
import org.leantrain.dropout.DropoutConfig;
import org.leantrain.dropout.LmConfig;
import org.leantrain.dropout.LmCorpus;
import org.leantrain.dropout.LmTrainer;
import org.leantrain.dropout.LstmLanguageModel;
import org.leantrain.dropout.TrainReport;
import org.leantrain.dropout.Variant;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code leantrain lstm-dropout}: the spec's quick character-level LM on the fortune cookies, structured dropout
 * against the dense masked computation of the same masks and against standard (Zaremba) dropout.
 */
@Command(name = "lstm-dropout", mixinStandardHelpOptions = true,
        description = "Train a 2-layer character LSTM on the fortune cookies with structured dropout (GEMMs on the"
                + " kept units), dense masked dropout and Zaremba dropout; compare ms/step and validation BPC.")
public final class LstmDropoutCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "../shared/data/fortunes",
            description = "directory of fortune cookie files (default: ${DEFAULT-VALUE}; apt-get install fortunes"
                    + " puts them in /usr/share/games/fortunes)")
    Path data;

    @Mixin
    RunOptions run;

    @Option(names = "--steps", defaultValue = "150", description = "training steps per variant (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--variants", split = ",", defaultValue = "STRUCTURED,DENSE_MASKED,ZAREMBA",
            description = "variants to train, from STRUCTURED, DENSE_MASKED, DENSE_MASKED_FUSED, ZAREMBA"
                    + " (default: ${DEFAULT-VALUE})")
    Variant[] variants;

    @Option(names = "--hidden", defaultValue = "256", description = "LSTM width H = embedding width (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--layers", defaultValue = "2", description = "LSTM layers (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--batch", defaultValue = "32", description = "parallel streams B (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--bptt", defaultValue = "50", description = "segment length T (default: ${DEFAULT-VALUE})")
    int bptt;

    @Option(names = "--p", defaultValue = "0.5", description = "dropout probability (default: ${DEFAULT-VALUE})")
    double p;

    @Option(names = "--lr", defaultValue = "0.002", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--valid-chars", defaultValue = "50000",
            description = "validation characters scored (default: ${DEFAULT-VALUE}, the first 50k)")
    int validChars;

    @Option(names = "--sweep", split = ",", defaultValue = "0,0.25,0.5,0.65,0.75",
            description = "dropout rates of the step-time sweep, STRUCTURED vs DENSE_MASKED (default: ${DEFAULT-VALUE};"
                    + " empty to skip)")
    double[] sweep;

    @Option(names = "--sweep-steps", defaultValue = "8",
            description = "timed steps per variant and rate in the sweep (default: ${DEFAULT-VALUE})")
    int sweepSteps;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (hidden < 1 || layers < 1 || batch < 1 || bptt < 1) {
            throw new IllegalArgumentException("--hidden, --layers, --batch and --bptt must be >= 1, got " + hidden + ", "
                    + layers + ", " + batch + ", " + bptt);
        }
        if (steps < 1 || sweepSteps < 3 || validChars < 2) {
            throw new IllegalArgumentException("--steps must be >= 1, --sweep-steps >= 3 and --valid-chars >= 2, got "
                    + steps + ", " + sweepSteps + ", " + validChars);
        }
        LmConfig config = new LmConfig(LmCorpus.FORTUNE_VOCAB, hidden, hidden, layers, bptt, batch,
                DropoutConfig.of(p, seed), 5, learningRate, DataType.FLOAT);
        for (double rate : sweep) {
            config.withDropout(DropoutConfig.of(rate, seed)); // validates every sweep rate up front
        }
        // Inputs are checked and the corpus read before the results folder exists: bad input leaves nothing behind.
        LmCorpus corpus = LmCorpus.fortunes(data);
        int[] valid = Arrays.copyOf(corpus.valid(), Math.min(validChars, corpus.valid().length));
        Path dir = run.start("lstm-dropout");
        System.out.printf("lstm-dropout: %d records, %d training / %d validation characters scored; %d × %d LSTM,"
                        + " B = %d, T = %d, p = %.2f; results in %s%n", corpus.records(), corpus.train().length,
                valid.length, layers, hidden, batch, bptt, p, dir);

        // The sweep runs first: it also warms up the JIT for both code paths before the timed training runs.
        CsvTable sweepTable = stepTimeSweep(config, corpus.train());
        Map<Variant, TrainReport> reports = new LinkedHashMap<>();
        int evalEvery = Math.max(1, steps / 5);
        // One step of each variant in turn on the same segment: machine noise hits every variant's step times alike.
        List<LmTrainer> trainers = new ArrayList<>();
        for (Variant variant : variants) {
            trainers.add(new LmTrainer(new LstmLanguageModel(config, new Rng(seed)), variant));
        }
        List<TrainReport> results = LmTrainer.lockstep(trainers, corpus.train(), steps, valid, evalEvery,
                LmTrainer.progress("lstm-dropout " + Arrays.toString(variants), steps));
        for (int i = 0; i < variants.length; i++) {
            TrainReport report = results.get(i);
            reports.put(variants[i], report);
            System.out.printf("lstm-dropout %s: %.1f ms/step (median of the last %d), validation %.3f bits/char,"
                    + " peak saved %.1f MB%n", variants[i], report.medianStepMillis(100), Math.min(100, steps),
                    report.finalValidBpc(), report.peakSavedBytes() / 1e6);
        }
        writeCurves(dir, reports);
        writeSweep(dir, sweepTable);
        Metrics metrics = new Metrics();
        for (Map.Entry<Variant, TrainReport> e : reports.entrySet()) {
            String name = e.getKey().name().toLowerCase();
            metrics.put("bpc_" + name, e.getValue().finalValidBpc())
                    .put("ms_per_step_" + name, e.getValue().medianStepMillis(100))
                    .put("peak_saved_bytes_" + name, e.getValue().peakSavedBytes());
        }
        TrainReport structured = reports.get(Variant.STRUCTURED);
        TrainReport dense = reports.get(Variant.DENSE_MASKED);
        if (structured != null && dense != null) {
            double speedup = dense.medianStepMillis(100) / structured.medianStepMillis(100);
            metrics.put("step_speedup_vs_dense_p50", speedup);
            System.out.printf("lstm-dropout: STRUCTURED is %.2f× the speed of DENSE_MASKED per step (spec target ≥ 1.10)%n",
                    speedup);
        } else {
            metrics.missing("step_speedup_vs_dense_p50");
        }
        if (reports.containsKey(Variant.STRUCTURED) && reports.containsKey(Variant.ZAREMBA)) {
            double gap = reports.get(Variant.STRUCTURED).finalValidBpc() - reports.get(Variant.ZAREMBA).finalValidBpc();
            metrics.put("bpc_gap_structured_minus_zaremba", gap);
            System.out.printf("lstm-dropout: validation BPC structured − Zaremba = %+.3f (spec: within 0.10)%n", gap);
        }
        for (int i = 0; i < sweepTable.size(); i++) {
            double[] rates = sweepTable.column("p");
            metrics.put(String.format("sweep_speedup_p%02d", Math.round(rates[i] * 100)),
                    sweepTable.column("dense_ms")[i] / sweepTable.column("structured_ms")[i]);
        }
        metrics.put("steps", steps).put("hidden", hidden).put("p", p).write(dir);
        System.out.println("lstm-dropout: wrote metrics.json, curves.csv, steps.csv, step_time_vs_p.csv, bpc.png, step_time_vs_p.png to "
                + dir);
        return 0;
    }

    /** Median ms/step of STRUCTURED and DENSE_MASKED at every sweep rate, same model and data. */
    private CsvTable stepTimeSweep(LmConfig config, int[] train) {
        CsvTable table = new CsvTable("p", "structured_ms", "dense_ms");
        for (double rate : sweep) {
            LmConfig c = config.withDropout(DropoutConfig.of(rate, seed));
            List<LmTrainer> pair = List.of(
                    new LmTrainer(new LstmLanguageModel(c, new Rng(seed)), Variant.STRUCTURED),
                    new LmTrainer(new LstmLanguageModel(c, new Rng(seed)), Variant.DENSE_MASKED));
            List<TrainReport> timed = LmTrainer.lockstep(pair, train, sweepSteps, null, sweepSteps, null);
            double[] ms = {timed.get(0).medianStepMillis(sweepSteps - 2), timed.get(1).medianStepMillis(sweepSteps - 2)};
            table.add(rate, ms[0], ms[1]);
            System.out.printf("lstm-dropout sweep p = %.2f: STRUCTURED %.1f ms/step, DENSE_MASKED %.1f ms/step (%.2f×)%n",
                    rate, ms[0], ms[1], ms[1] / ms[0]);
        }
        return table;
    }

    /** Validation BPC per variant at the same evaluation steps: curves.csv and bpc.png. */
    private static void writeCurves(Path dir, Map<Variant, TrainReport> reports) throws java.io.IOException {
        String[] columns = new String[reports.size() + 1];
        columns[0] = "step";
        int c = 1;
        for (Variant v : reports.keySet()) {
            columns[c++] = "valid_bpc_" + v.name().toLowerCase();
        }
        CsvTable curves = new CsvTable(columns);
        int[] evalSteps = reports.values().iterator().next().evalSteps();
        for (int i = 0; i < evalSteps.length; i++) {
            double[] row = new double[columns.length];
            row[0] = evalSteps[i];
            c = 1;
            for (TrainReport r : reports.values()) {
                row[c++] = r.validBpc()[i];
            }
            curves.add(row);
        }
        curves.write(dir.resolve("curves.csv"));
        String[] stepColumns = new String[2 * reports.size() + 1];
        stepColumns[0] = "step";
        c = 1;
        for (Variant v : reports.keySet()) {
            stepColumns[c++] = "ms_" + v.name().toLowerCase();
            stepColumns[c++] = "loss_" + v.name().toLowerCase();
        }
        CsvTable stepTable = new CsvTable(stepColumns);
        int steps = reports.values().iterator().next().stepMillis().length;
        for (int s = 0; s < steps; s++) {
            double[] row = new double[stepColumns.length];
            row[0] = s + 1;
            c = 1;
            for (TrainReport r : reports.values()) {
                row[c++] = r.stepMillis()[s];
                row[c++] = r.trainLoss()[s];
            }
            stepTable.add(row);
        }
        stepTable.write(dir.resolve("steps.csv"));
        Map<String, double[][]> bpc = new LinkedHashMap<>();
        double[] x = Arrays.stream(evalSteps).asDoubleStream().toArray();
        reports.forEach((v, r) -> bpc.put(v.name(), new double[][] {x, r.validBpc()}));
        Plots.lines(dir.resolve("bpc.png"), "validation bits per character, fortunes", "step", "BPC", bpc, false);
    }

    private static void writeSweep(Path dir, CsvTable sweep) throws java.io.IOException {
        sweep.write(dir.resolve("step_time_vs_p.csv"));
        if (sweep.size() == 0) {
            return;
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("STRUCTURED", new double[][] {sweep.column("p"), sweep.column("structured_ms")});
        series.put("DENSE_MASKED (per step)", new double[][] {sweep.column("p"), sweep.column("dense_ms")});
        Plots.lines(dir.resolve("step_time_vs_p.png"), "training step time vs dropout rate", "dropout p", "ms per step",
                series, false);
    }
}
