package org.leantrain.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.ebm.GaussianMixtureEnergy;
import org.leantrain.ebm.experiments.GmmExperiment;
import org.leantrain.ebm.experiments.GmmExperiment.Kind;
import org.leantrain.ebm.experiments.GmmExperiment.Result;
import org.leantrain.ebm.experiments.GmmExperiment.Variant;
import org.leantrain.ebm.metrics.GridDensity2D;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code leantrain ebm}: Jarzynski-weighted walkers vs PCD vs CD on the experiments of the ebm-jarzynski spec. */
@Command(name = "ebm", mixinStandardHelpOptions = true,
        description = "Train energy-based models with Jarzynski-weighted Langevin walkers and with the PCD and CD"
                + " baselines, side by side: gmm50 (spec E1), gmm2d (E2), mnist236 (E3).")
public final class EbmCommand implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--experiment", split = ",", defaultValue = "gmm50,gmm2d",
            description = "experiments, comma-separated: gmm50, gmm2d, mnist236 (default: ${DEFAULT-VALUE})")
    List<String> experiments;

    @Option(names = "--seeds", defaultValue = "3", description = "seeds 0..n-1 for the GMM runs (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--updates", description = "override the number of updates of every run (quick config otherwise)")
    Integer updates;

    @Option(names = "--walkers", description = "override N, the walkers in the gradient (quick config otherwise)")
    Integer walkers;

    @Option(names = "--data", defaultValue = "../shared/data/mnist",
            description = "MNIST directory for mnist236 (default: ${DEFAULT-VALUE})")
    Path mnistDir;

    @Override
    public Integer call() throws Exception {
        for (String e : experiments) {
            if (!List.of("gmm50", "gmm2d", "mnist236").contains(e)) {
                throw new IllegalArgumentException("--experiment: unknown experiment '" + e
                        + "'; choose from gmm50, gmm2d, mnist236");
            }
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        }
        if (updates != null && updates < 1 || walkers != null && walkers < 2) {
            throw new IllegalArgumentException("--updates must be >= 1 and --walkers >= 2, got " + updates + ", "
                    + walkers);
        }
        if (experiments.contains("mnist236")) {
            MnistEbmRun.checkData(mnistDir); // before the results folder, so a bad --data leaves nothing behind
        }
        Path dir = run.start("ebm");
        System.out.println("ebm: results in " + dir);
        Metrics metrics = new Metrics();
        for (String e : experiments) {
            switch (e) {
                case "gmm50" -> gmm(Kind.GMM50, dir, metrics);
                case "gmm2d" -> gmm(Kind.GMM2D, dir, metrics);
                default -> new MnistEbmRun(mnistDir, updates, walkers).run(dir, metrics);
            }
            metrics.write(dir);
        }
        System.out.println("metrics: " + metrics.write(dir));
        return 0;
    }

    private void gmm(Kind kind, Path dir, Metrics metrics) throws Exception {
        String name = kind.name().toLowerCase();
        GmmExperiment.Settings settings = GmmExperiment.quick(kind);
        if (updates != null) {
            settings = settings.withUpdates(updates);
        }
        if (walkers != null) {
            settings = settings.withWalkers(walkers);
        }
        System.out.printf("%n%s: %d updates, N = %d walkers, data batch %d, h = %.2g, seeds 0..%d%n", name,
                settings.updates(), settings.walkers(), settings.dataBatch(), settings.stepSize(), seeds - 1);
        Map<String, List<double[]>> finals = new LinkedHashMap<>(); // variant → per seed {massErr, tv, kl, estKl, gridKl}
        Map<String, double[][]> massCurves = new LinkedHashMap<>();
        Map<String, double[][]> klCurves = new LinkedHashMap<>();
        CsvTable summary = new CsvTable("seed", "variant", "mode_mass", "mode_mass_error", "tv", "exact_kl",
                "estimated_kl", "grid_kl", "resamplings", "seconds");
        List<String> variants = new ArrayList<>();
        for (long seed = 0; seed < seeds; seed++) {
            GmmExperiment experiment = GmmExperiment.create(kind, seed);
            GridDensity2D grid = kind == Kind.GMM2D ? new GridDensity2D(12, 481) : null;
            double[] teacherGrid = grid != null ? grid.logDensity(experiment.teacher(), 1) : null;
            List<GridDensity2D.Panel> panels = new ArrayList<>();
            if (grid != null) {
                panels.add(new GridDensity2D.Panel("target", teacherGrid, null, null));
            }
            for (Variant v : GmmExperiment.variants(kind)) {
                if (seed == 0) {
                    variants.add(v.name());
                }
                Result r = experiment.run(v, settings, seed);
                GaussianMixtureEnergy student = r.student();
                double gridKl = Double.NaN;
                if (grid != null) {
                    double[] studentGrid = grid.logDensity(student, 1);
                    gridKl = grid.kl(teacherGrid, studentGrid);
                    if (seed == 0) {
                        panels.add(new GridDensity2D.Panel(v.name(), studentGrid, r.sampler().lossWalkers(),
                                r.sampler().lossWeights()));
                    }
                }
                double[] est = r.curve().column("estimated_kl");
                double[] f = {experiment.massError(student), experiment.tv(student), experiment.exactKl(student),
                        est[est.length - 1], gridKl};
                finals.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(f);
                summary.add(seed, variants.indexOf(v.name()), student.modeMasses()[kind == Kind.GMM50 ? 1 : 0], f[0],
                        f[1], f[2], f[3], gridKl, r.sampler().resamplings(), r.seconds());
                r.curve().write(dir.resolve(name + "_" + v.name() + "_seed" + seed + ".csv"));
                if (seed == 0) {
                    double[] x = r.curve().column("update");
                    massCurves.put(v.name(), new double[][] {x, r.curve().column(kind == Kind.GMM50
                            ? "mode_mass_error" : "tv")});
                    klCurves.put(v.name(), new double[][] {x, clampPositive(r.curve().column("exact_kl"))});
                    if (v.name().equals("jarzynski")) {
                        klCurves.put("jarzynski (estimated)", new double[][] {x, clampPositive(est)});
                    }
                }
                System.out.printf("  seed %d %-10s mass error %.3f  TV %.3f  exact KL %.4f  est. KL %s  %s"
                                + "resamplings %d  %.1f s%n", seed, v.name(), f[0], f[1], f[2],
                        Double.isNaN(f[3]) ? "   -  " : String.format("%.4f", f[3]),
                        grid != null ? String.format("grid KL %.4f  ", gridKl) : "", r.sampler().resamplings(),
                        r.seconds());
            }
            if (grid != null && seed == 0) {
                grid.writePanels(panels, dir.resolve("gmm2d_heatmaps_seed0.png"));
            }
        }
        summary.write(dir.resolve(name + "_summary.csv"));
        Plots.lines(dir.resolve(name + "_" + (kind == Kind.GMM50 ? "mass_error" : "tv") + ".png"),
                name + ": " + (kind == Kind.GMM50 ? "|mass of the +6 mode − 0.75|" : "TV of the mode masses")
                        + " (seed 0)", "update", kind == Kind.GMM50 ? "mass error" : "TV", massCurves, false);
        Plots.lines(dir.resolve(name + "_kl.png"), name + ": KL(ρ*‖ρθ), exact and Jarzynski estimate (seed 0)",
                "update", "|KL| (nats, log scale, floored at 1e-4)", klCurves, true);
        printTable(name, variants, finals);
        record(kind, finals, metrics);
    }

    private static double[] clampPositive(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Double.isNaN(v[i]) ? Double.NaN : Math.max(Math.abs(v[i]), 1e-4);
        }
        return out;
    }

    private static void printTable(String name, List<String> variants, Map<String, List<double[]>> finals) {
        System.out.printf("%n%s, mean (worst) over seeds:%n%-11s %-17s %-17s %-19s %-17s%n", name, "method",
                "mode-mass error", "TV", "exact KL", "|KL est. − exact|");
        for (String v : variants) {
            List<double[]> rows = finals.get(v);
            List<double[]> estimateError = rows.stream().map(r -> new double[] {Math.abs(r[3] - r[2])}).toList();
            System.out.printf("%-11s %-17s %-17s %-19s %-17s%n", v, cell(rows, 0), cell(rows, 1), cell(rows, 2),
                    cell(estimateError, 0));
        }
    }

    private static String cell(List<double[]> rows, int c) {
        return Double.isNaN(mean(rows, c)) ? "-" : String.format("%.4f (%.4f)", mean(rows, c), worst(rows, c));
    }

    private static void record(Kind kind, Map<String, List<double[]>> finals, Metrics metrics) {
        String prefix = kind.name().toLowerCase() + "_";
        for (Map.Entry<String, List<double[]>> e : finals.entrySet()) {
            String v = e.getKey().replace('-', '_');
            List<double[]> rows = e.getValue();
            boolean technique = v.equals("jarzynski");
            // the technique's figures are worst over seeds, the baselines' are means
            metrics.put(prefix + v + "_mass_err", technique ? worst(rows, 0) : mean(rows, 0));
            metrics.put(prefix + v + "_tv", technique ? worst(rows, 1) : mean(rows, 1));
            metrics.put(prefix + v + "_kl", technique ? worst(rows, 2) : mean(rows, 2));
            if (technique) {
                metrics.put(prefix + "jarzynski_estimated_kl_abs_err", worstAbsDiff(rows, 3, 2));
            }
            if (kind == Kind.GMM2D) {
                metrics.put(prefix + v + "_grid_kl", technique ? worst(rows, 4) : mean(rows, 4));
            }
        }
        if (kind == Kind.GMM2D) {
            double best = Double.POSITIVE_INFINITY;
            for (Map.Entry<String, List<double[]>> e : finals.entrySet()) {
                if (!e.getKey().equals("jarzynski")) {
                    best = Math.min(best, mean(e.getValue(), 1));
                }
            }
            metrics.put("gmm2d_best_baseline_tv", best);
        }
    }

    static double mean(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).average().orElse(Double.NaN);
    }

    static double worst(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).max().orElse(Double.NaN);
    }

    private static double worstAbsDiff(List<double[]> rows, int a, int b) {
        return rows.stream().mapToDouble(r -> Math.abs(r[a] - r[b])).max().orElse(Double.NaN);
    }
}
