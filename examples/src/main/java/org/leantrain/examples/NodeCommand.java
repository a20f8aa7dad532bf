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
import org.leantrain.ode.MethodReport;
import org.leantrain.ode.NodeExperiments;
import org.leantrain.ode.NodeScaling;
import org.leantrain.ode.OdeIntegrators;
import org.leantrain.ode.QuarterVehicle;
import org.leantrain.ode.SolveResult;
import org.leantrain.ode.SolverBasedTrainer;
import org.leantrain.ode.VanDerPol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code leantrain node}: PeN-ODE training by Radau collocation + GN-SQP against solver-based training (E1, E2). */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Physics-enhanced neural ODEs trained by direct collocation (Radau IIA, m = 3) and a condensed"
                + " Gauss-Newton SQP, side by side with RK4-backprop (and DOPRI5-backprop, RK4-adjoint on E1): E1"
                + " Van der Pol damping term, E2 quarter-vehicle damper curve.")
public final class NodeCommand implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--experiment", split = ",", defaultValue = "vdp,qvm",
            description = "vdp (E1), qvm (E2) (default: ${DEFAULT-VALUE})")
    List<String> experiments;

    @Option(names = "--seeds", defaultValue = "5", description = "E1 seeds 0..n-1, medians reported (default:"
            + " ${DEFAULT-VALUE}, as the spec's success criteria)")
    int seeds;

    @Option(names = "--qvm-seeds", defaultValue = "1", description = "E2 seeds (default: ${DEFAULT-VALUE})")
    int qvmSeeds;

    @Option(names = "--rk4-iters", description = "RK4-backprop Adam iterations (default: 1500 on E1, 1000 on E2)")
    Integer rk4Iters;

    @Option(names = "--no-scaling", description = "skip the per-iteration scaling measurement in N (~20 s)")
    boolean noScaling;

    private static final String[] E1_METHODS = {"collocation-gn", "rk4-backprop", "dopri5-backprop", "rk4-adjoint"};
    private static final String[] E2_METHODS = {"collocation-gn", "rk4-backprop", "rk4-backprop@gn-time"};

    @Override
    public Integer call() throws Exception {
        for (String e : experiments) {
            if (!e.equals("vdp") && !e.equals("qvm")) {
                throw new IllegalArgumentException("unknown --experiment '" + e + "'; choose vdp, qvm or both");
            }
        }
        if (seeds < 1 || qvmSeeds < 1) {
            throw new IllegalArgumentException("--seeds and --qvm-seeds must be >= 1, got " + seeds + ", " + qvmSeeds);
        }
        if (rk4Iters != null && rk4Iters < 1) {
            throw new IllegalArgumentException("--rk4-iters must be >= 1, got " + rk4Iters);
        }
        run.threads(2);
        Path dir = run.start("node");
        System.out.println("node: results in " + dir);
        Metrics metrics = new Metrics();
        NodeExperiments.warmUp(); // JIT-compile both paths before anything is timed
        if (experiments.contains("vdp")) {
            vanDerPol(dir, metrics);
            metrics.write(dir);
        }
        if (experiments.contains("qvm")) {
            quarterVehicle(dir, metrics);
            metrics.write(dir);
        }
        if (!noScaling) {
            scaling(dir, metrics);
        }
        System.out.println("metrics: " + metrics.write(dir));
        return 0;
    }

    private void vanDerPol(Path dir, Metrics metrics) throws Exception {
        NodeExperiments.VdpConfig quick = NodeExperiments.VdpConfig.quick();
        NodeExperiments.VdpConfig cfg = new NodeExperiments.VdpConfig(rk4Iters != null ? rk4Iters
                : quick.rk4Iterations(), quick.otherIterations(), quick.gnMaxIter(), true);
        System.out.printf("%nE1 Van der Pol PeN-ODE: ẋ2 = −x1 + N(x1, x2), N 2-16-16-1 (337 weights), 101 noisy samples"
                + " on [0, 10]; collocation m = 3, 100 intervals; RK4 h = 0.1 Adam lr 1e-2 × %d; DOPRI5 and RK4-adjoint"
                + " × %d; seeds 0..%d%n", cfg.rk4Iterations(), cfg.otherIterations(), seeds - 1);
        CsvTable table = new CsvTable("seed", "method", "F", "train_mse_clean", "train_mse_data", "extrap_mse",
                "seconds", "seconds_to_target", "jac_evals", "rhs_evals", "vjp_evals", "iterations");
        CsvTable curves = new CsvTable("seed", "method", "iteration", "seconds", "F", "c_inf", "F_simulated");
        List<Double> ratios = new ArrayList<>();
        Map<String, List<MethodReport>> byMethod = new LinkedHashMap<>();
        NodeExperiments.Run first = null;
        for (long seed = 0; seed < seeds; seed++) {
            NodeExperiments.Run r = NodeExperiments.vanDerPol(seed, cfg);
            if (first == null) {
                first = r;
            }
            printReports("E1 seed " + seed, r.reports(), false);
            for (MethodReport m : r.reports()) {
                byMethod.computeIfAbsent(m.method(), k -> new ArrayList<>()).add(m);
                table.add(seed, index(E1_METHODS, m.method()), m.f(), m.trainMseClean(), m.trainMseData(), m.testMse(),
                        m.seconds(), m.secondsToTarget(), m.jacEvals(), m.rhsEvals(), m.vjpEvals(), m.iterations());
            }
            addCurves(curves, seed, r);
            ratios.add(r.reports().get(0).secondsToTarget() / r.reports().get(1).seconds());
        }
        table.write(dir.resolve("vdp_methods.csv"));
        curves.write(dir.resolve("vdp_curves.csv"));
        System.out.println("method codes in the CSVs: " + String.join(", ", codes(E1_METHODS)));
        printMedians("E1", byMethod, false);
        double ratio = Stats.median(ratios);
        MethodReport gn = medianReport(byMethod.get("collocation-gn"));
        MethodReport rk4 = medianReport(byMethod.get("rk4-backprop"));
        System.out.printf("E1 success (medians): time to the RK4 final F, collocation / RK4 = %.3f (≤ 0.2: %s); train MSE"
                        + " vs clean %.2e vs %.2e (≤: %s); extrapolation %.3g vs %.3g (≤ 2×: %s)%n", ratio,
                ok(ratio <= 0.2), gn.trainMseClean(), rk4.trainMseClean(), ok(gn.trainMseClean() <= rk4.trainMseClean()),
                gn.testMse(), rk4.testMse(), ok(gn.testMse() <= 2 * rk4.testMse()));
        metrics.put("vdp_time_ratio_to_target", ratio);
        metrics.put("vdp_train_mse_colloc", gn.trainMseClean());
        metrics.put("vdp_train_mse_rk4", rk4.trainMseClean());
        metrics.put("vdp_extrap_mse_colloc", gn.testMse());
        metrics.put("vdp_extrap_mse_rk4", rk4.testMse());
        metrics.put("vdp_f_colloc", gn.f());
        metrics.put("vdp_f_rk4", rk4.f());
        metrics.put("vdp_gn_iterations", gn.iterations());
        metrics.put("vdp_gn_seconds", gn.seconds());
        metrics.put("vdp_rk4_seconds", rk4.seconds());
        plotVdp(dir, first);
    }

    private void quarterVehicle(Path dir, Metrics metrics) throws Exception {
        NodeExperiments.QvmConfig quick = NodeExperiments.QvmConfig.quick();
        NodeExperiments.QvmConfig cfg = new NodeExperiments.QvmConfig(rk4Iters != null ? rk4Iters
                : quick.rk4Iterations(), quick.rk4LearningRate(), quick.gnMaxIter(), quick.horizon(), true);
        System.out.printf("%nE2 quarter-vehicle: damper F_d ≈ 1000·N(v/0.5), N 1-16-16-1 (321 weights), z_b and z_w at"
                + " 100 Hz on [0, %.0f] s; collocation m = 3, h = 0.01 with the hinge constraint v·N ≥ 0 (ρ_g = 1e1..1e4);"
                + " RK4 h = 0.01 Adam lr %.0e × %d; seeds 0..%d%n", cfg.horizon(), cfg.rk4LearningRate(),
                cfg.rk4Iterations(), qvmSeeds - 1);
        CsvTable table = new CsvTable("seed", "method", "F", "train_mse_cm2", "train_mse_data_cm2", "test_mse_cm2",
                "damper_rms_N", "seconds", "seconds_to_target", "jac_evals", "rhs_evals", "vjp_evals", "iterations");
        CsvTable curves = new CsvTable("seed", "method", "iteration", "seconds", "F", "c_inf", "F_simulated");
        Map<String, List<MethodReport>> byMethod = new LinkedHashMap<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> worstConstraint = new ArrayList<>();
        NodeExperiments.Run first = null;
        for (long seed = 0; seed < qvmSeeds; seed++) {
            NodeExperiments.Run r = NodeExperiments.quarterVehicle(seed, cfg);
            if (first == null) {
                first = r;
            }
            printReports("E2 seed " + seed, r.reports(), true);
            for (MethodReport m : r.reports()) {
                byMethod.computeIfAbsent(m.method(), k -> new ArrayList<>()).add(m);
                table.add(seed, index(E2_METHODS, m.method()), m.f(), m.trainMseClean(), m.trainMseData(),
                        m.testMse(), m.extra(), m.seconds(), m.secondsToTarget(), m.jacEvals(), m.rhsEvals(),
                        m.vjpEvals(), m.iterations());
            }
            addCurves(curves, seed, r);
            ratios.add(r.reports().get(0).secondsToTarget() / r.reports().get(1).seconds());
            worstConstraint.add(NodeExperiments.normalisedConstraintViolation(r));
        }
        table.write(dir.resolve("qvm_methods.csv"));
        curves.write(dir.resolve("qvm_curves.csv"));
        System.out.println("method codes in the CSVs: " + String.join(", ", codes(E2_METHODS)));
        printMedians("E2", byMethod, true);
        double maxForce = NodeExperiments.maxTrueDamperForce();
        MethodReport gn = medianReport(byMethod.get("collocation-gn"));
        MethodReport rk4 = medianReport(byMethod.get("rk4-backprop"));
        MethodReport rk4AtGn = byMethod.containsKey("rk4-backprop@gn-time")
                ? medianReport(byMethod.get("rk4-backprop@gn-time")) : rk4;
        double ratio = Stats.median(ratios);
        double violation = Stats.median(worstConstraint);
        System.out.printf("E2 success: damper RMS %.1f N = %.1f%% of max|F_d| %.0f N (≤ 5%%: %s); RK4 at the collocation's"
                        + " wall time %.1f N (%.1f× the collocation's; ≥ 2×: %s); after all %d iterations %.1f N; worst"
                        + " constraint v·N at the nodes %.2e of max|v|·max|N| (≥ −1e-3: %s); time to the RK4 final F,"
                        + " collocation / RK4 = %.3f (≤ 0.2: %s)%n", gn.extra(), 100 * gn.extra() / maxForce, maxForce,
                ok(gn.extra() <= 0.05 * maxForce), rk4AtGn.extra(), rk4AtGn.extra() / gn.extra(),
                ok(rk4AtGn.extra() >= 2 * gn.extra()), rk4.iterations(), rk4.extra(), violation,
                ok(violation >= -1e-3), ratio, ok(ratio <= 0.2));
        metrics.put("qvm_damper_rms_rel", gn.extra() / maxForce);
        metrics.put("qvm_damper_rms_colloc", gn.extra());
        metrics.put("qvm_damper_rms_rk4_equal_time", rk4AtGn.extra());
        metrics.put("qvm_damper_rms_rk4_final", rk4.extra());
        metrics.put("qvm_time_ratio", ratio);
        metrics.put("qvm_train_mse_colloc_cm2", gn.trainMseClean());
        metrics.put("qvm_test_mse_colloc_cm2", gn.testMse());
        metrics.put("qvm_test_mse_rk4_cm2", rk4.testMse());
        metrics.put("qvm_constraint_worst_rel", violation);
        metrics.put("qvm_gn_seconds", gn.seconds());
        plotQvm(dir, first);
    }

    private void scaling(Path dir, Metrics metrics) throws Exception {
        int[] intervals = {100, 200, 400, 800};
        double[] seconds = new double[intervals.length];
        CsvTable table = new CsvTable("nodes", "np", "seconds_per_iteration");
        System.out.printf("%nGN-SQP seconds per iteration on E1 (m = 3, np = %d) as N doubles:%n",
                NodeScaling.parameterCount(16));
        for (int i = 0; i < intervals.length; i++) {
            seconds[i] = NodeScaling.secondsPerIteration(intervals[i], 16, 9);
            table.add(3 * intervals[i], NodeScaling.parameterCount(16), seconds[i]);
            System.out.printf("  N = %4d: %.1f ms%n", 3 * intervals[i], seconds[i] * 1e3);
        }
        double growth = NodeScaling.growthPerDoubling(seconds);
        System.out.printf("growth per doubling of N: %.2f× (≤ 2.3: %s)%n", growth, ok(growth <= 2.3));
        table.write(dir.resolve("scaling_nodes.csv"));
        metrics.put("scaling_per_doubling", growth);
    }

    private static void printReports(String title, List<MethodReport> reports, boolean damper) {
        System.out.printf("%n%s%n%-22s %10s %11s %11s %11s %9s %8s %8s %6s %9s %9s %6s  %s%n", title, "method", "F",
                damper ? "train cm²" : "train MSE", damper ? "data cm²" : "data MSE", damper ? "test cm²" : "extrap",
                damper ? "damper N" : "", "wall s", "s→F_tgt", "jac", "rhs", "vjp", "iters", "status");
        for (MethodReport m : reports) {
            System.out.printf("%-22s %10.4e %11.3e %11.3e %11.3e %9s %8.2f %8s %6d %9d %9d %6d  %s%n", m.method(), m.f(),
                    m.trainMseClean(), m.trainMseData(), m.testMse(), damper ? String.format("%.1f", m.extra()) : "",
                    m.seconds(), fmt(m.secondsToTarget()), m.jacEvals(), m.rhsEvals(), m.vjpEvals(), m.iterations(),
                    m.status());
        }
    }

    private static void printMedians(String title, Map<String, List<MethodReport>> byMethod, boolean damper) {
        System.out.printf("%n%s medians over seeds:%n", title);
        for (Map.Entry<String, List<MethodReport>> e : byMethod.entrySet()) {
            MethodReport m = medianReport(e.getValue());
            System.out.printf("  %-22s F %.4e  train %.3e  %s %.3e%s  wall %.2f s  s→target %s%n", e.getKey(), m.f(),
                    m.trainMseClean(), damper ? "test" : "extrap", m.testMse(),
                    damper ? String.format("  damper %.1f N", m.extra()) : "", m.seconds(), fmt(m.secondsToTarget()));
        }
    }

    /** A report of per-field medians (each column's median over seeds). */
    private static MethodReport medianReport(List<MethodReport> list) {
        return new MethodReport(list.get(0).method(), median(list, MethodReport::f),
                median(list, MethodReport::trainMseClean), median(list, MethodReport::trainMseData),
                median(list, MethodReport::testMse), median(list, MethodReport::extra),
                median(list, MethodReport::seconds), median(list, MethodReport::secondsToTarget),
                (long) median(list, m -> (double) m.jacEvals()), (long) median(list, m -> (double) m.rhsEvals()),
                (long) median(list, m -> (double) m.vjpEvals()), (int) median(list, m -> (double) m.iterations()),
                list.get(0).status());
    }

    private static double median(List<MethodReport> list, java.util.function.ToDoubleFunction<MethodReport> f) {
        List<Double> v = new ArrayList<>();
        for (MethodReport m : list) {
            v.add(f.applyAsDouble(m));
        }
        return Stats.median(v);
    }

    private static void addCurves(CsvTable curves, long seed, NodeExperiments.Run r) {
        List<SolveResult.IterLog> log = r.collocation().solve().log();
        for (int i = 0; i < log.size(); i++) {
            SolveResult.IterLog l = log.get(i);
            double simulated = i < r.collocationSimulatedF().size() ? r.collocationSimulatedF().get(i)[1] : Double.NaN;
            curves.add(seed, 0, l.iteration(), l.seconds(), l.f(), l.cInf(), simulated);
        }
        for (int k = 0; k < r.baselines().size(); k++) {
            for (SolverBasedTrainer.CurvePoint p : r.baselines().get(k).curve()) {
                curves.add(seed, k + 1, p.iteration(), p.seconds(), p.f(), 0, p.f());
            }
        }
    }

    private static void plotVdp(Path dir, NodeExperiments.Run r) throws Exception {
        double[] grid = VanDerPol.grid(0, 20, 0.05);
        double[][] truth = VanDerPol.simulate(VanDerPol.X0, 0, grid);
        Map<String, double[][]> lines = new LinkedHashMap<>();
        lines.put("truth x1", new double[][] {grid, column(truth, 0)});
        double[][] gn = simulate(r, r.collocation().theta(), r.collocation().x0(), grid);
        double[][] rk4 = simulate(r, r.baselines().get(0).theta(), r.baselines().get(0).x0(), grid);
        if (gn != null) {
            lines.put("collocation x1", new double[][] {grid, column(gn, 0)});
        }
        if (rk4 != null) {
            lines.put("RK4-backprop x1", new double[][] {grid, column(rk4, 0)});
        }
        Map<String, double[][]> points = new LinkedHashMap<>();
        points.put("data x1 (train, t ≤ 10)", new double[][] {r.data().times(), column(r.data().obs(), 0)});
        Plots.seriesWithPoints(dir.resolve("vdp_trajectories.png"), "E1 seed 0: re-simulations from the learned x0"
                + " (extrapolation after t = 10)", "t", "x1", lines, points);
        Map<String, double[][]> conv = new LinkedHashMap<>();
        List<SolveResult.IterLog> log = r.collocation().solve().log();
        conv.put("collocation F", new double[][] {log.stream().mapToDouble(SolveResult.IterLog::seconds).toArray(),
                log.stream().mapToDouble(SolveResult.IterLog::f).toArray()});
        conv.put("collocation ‖c‖∞", new double[][] {log.stream().mapToDouble(SolveResult.IterLog::seconds).toArray(),
                log.stream().mapToDouble(l -> Math.max(l.cInf(), 1e-12)).toArray()});
        conv.put("collocation F of the re-simulated model", new double[][] {
            r.collocationSimulatedF().stream().mapToDouble(p -> p[0]).toArray(),
            r.collocationSimulatedF().stream().mapToDouble(p -> Math.min(p[1], 1e3)).toArray()});
        for (int k = 0; k < r.baselines().size(); k++) {
            List<SolverBasedTrainer.CurvePoint> c = r.baselines().get(k).curve();
            conv.put(r.baselineNames().get(k) + " F", new double[][] {
                c.stream().mapToDouble(SolverBasedTrainer.CurvePoint::seconds).toArray(),
                c.stream().mapToDouble(SolverBasedTrainer.CurvePoint::f).toArray()});
        }
        Plots.lines(dir.resolve("vdp_convergence.png"), "E1 seed 0: objective F against wall time", "seconds",
                "F (and ‖c‖∞ of the collocation iterates)", conv, true);
    }

    private static void plotQvm(Path dir, NodeExperiments.Run r) throws Exception {
        double[] v = new double[201];
        double[] truth = new double[201];
        double[] gn = new double[201];
        double[] rk4 = new double[201];
        for (int i = 0; i <= 200; i++) {
            v[i] = -1 + 0.01 * i;
            truth[i] = QuarterVehicle.trueDamper(v[i]);
            gn[i] = NodeExperiments.learnedDamper(r.model(), r.collocation().theta(), v[i]);
            rk4[i] = NodeExperiments.learnedDamper(r.model(), r.baselines().get(0).theta(), v[i]);
        }
        Map<String, double[][]> lines = new LinkedHashMap<>();
        lines.put("true damper", new double[][] {v, truth});
        lines.put("collocation + GN-SQP", new double[][] {v, gn});
        lines.put("RK4-backprop (all iterations)", new double[][] {v, rk4});
        double[] snap = r.baselines().get(0).snapshotTheta();
        if (snap != null) {
            double[] rk4Snap = new double[201];
            for (int i = 0; i <= 200; i++) {
                rk4Snap[i] = NodeExperiments.learnedDamper(r.model(), snap, v[i]);
            }
            lines.put("RK4-backprop at the collocation's wall time", new double[][] {v, rk4Snap});
        }
        Plots.lines(dir.resolve("qvm_damper.png"), "E2 seed 0: damper force against relative velocity", "v (m/s)",
                "F_d (N)", lines, false);
        double[] times = r.data().times();
        double[][] sim = OdeIntegrators.dopri5(OdeIntegrators.of(r.model(), r.collocation().theta(),
                r.model().phiInit(), r.data().input()), 0, r.collocation().x0(), times, 1e-8, 1e-12);
        Map<String, double[][]> traj = new LinkedHashMap<>();
        traj.put("collocation z_b", new double[][] {times, scale(column(sim, 0), 100)});
        traj.put("collocation z_w", new double[][] {times, scale(column(sim, 2), 100)});
        Map<String, double[][]> points = new LinkedHashMap<>();
        points.put("data z_b", new double[][] {times, scale(column(r.data().obs(), 0), 100)});
        points.put("data z_w", new double[][] {times, scale(column(r.data().obs(), 1), 100)});
        Plots.seriesWithPoints(dir.resolve("qvm_trajectories.png"), "E2 seed 0: re-simulation of the learned model vs"
                + " data", "t (s)", "position (cm)", traj, points);
    }

    private static double[][] simulate(NodeExperiments.Run r, double[] theta, double[] x0, double[] grid) {
        try {
            return OdeIntegrators.dopri5(OdeIntegrators.of(r.model(), theta, r.model().phiInit(), null), 0, x0, grid,
                    1e-8, 1e-10);
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static double[] column(double[][] m, int k) {
        double[] c = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i][k];
        }
        return c;
    }

    private static double[] scale(double[] v, double s) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * s;
        }
        return out;
    }

    private static int index(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> codes(String[] names) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            out.add(i + " = " + names[i]);
        }
        return out;
    }

    private static String ok(boolean b) {
        return b ? "yes" : "NO";
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "never" : String.format("%.2f", v);
    }
}
