package org.leantrain.bench;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.examples.RunOptions;
import org.leantrain.ode.CollocationTrainer;
import org.leantrain.ode.GaussNewtonSqpSolver;
import org.leantrain.ode.IpoptJnaSolver;
import org.leantrain.ode.MethodReport;
import org.leantrain.ode.NodeExperiments;
import org.leantrain.ode.NodeScaling;
import org.leantrain.ode.SolverBasedTrainer;
import org.leantrain.ode.SolverOptions;
import org.leantrain.ode.TrainingData;
import org.leantrain.ode.VanDerPol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code leantrain-bench node}: neural-ode spec §8 from one run — wall time to the baselines' final F (E1 against
 * RK4-backprop, DOPRI5-backprop and RK4-adjoint; E2 against RK4-backprop), the GN iteration's time split, scaling in
 * the node count N and in np, evaluation counts and array sizes, and PyTorch's RK4-backprop iteration.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "PeN-ODE collocation + GN-SQP vs solver-based training: time to target, time split, scaling in"
                + " N and np, counts, PyTorch RK4-backprop peer.")
public final class NodeBench implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with torch for the peer (default: ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the E1/E2 runs (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        int threads = run.threads(2);
        Path dir = run.start("bench-node");
        Metrics metrics = new Metrics().put("threads", threads);
        System.out.println("node bench (" + threads + " ND4J threads; PyTorch the same); results in " + dir);

        NodeExperiments.warmUp();
        NodeExperiments.Run e1 = NodeExperiments.vanDerPol(seed, NodeExperiments.VdpConfig.quick());
        System.out.printf("%nE1 seed %d: wall time of the collocation to reach each baseline's final F (re-simulated)%n",
                seed);
        MethodReport gn = e1.reports().get(0);
        for (int k = 0; k < e1.baselines().size(); k++) {
            SolverBasedTrainer.Result b = e1.baselines().get(k);
            double t = NodeExperiments.timeToTarget(e1.collocationSimulatedF(), b.f());
            double ratio = t / b.seconds();
            System.out.printf("  %-16s final F %.4e after %d iterations in %.2f s; collocation reaches it at %s s →"
                            + " ratio %.3f%s%n", e1.baselineNames().get(k), b.f(), b.iterations(), b.seconds(),
                    Double.isNaN(t) ? "never" : String.format("%.2f", t), ratio,
                    k == 0 ? " (target ≤ 0.2)" : "");
            metrics.put("vdp_time_ratio_" + e1.baselineNames().get(k).replace('-', '_'), ratio);
        }
        metrics.put("vdp_time_ratio_to_target", metrics.asMap().get("vdp_time_ratio_rk4_backprop"));
        MethodReport rk4 = e1.reports().get(1);
        System.out.printf("  counts: collocation %d Jacobian evaluations (%d node rhs), RK4-backprop %d rhs + %d"
                + " stage Jacobians%n", gn.jacEvals(), gn.rhsEvals(), rk4.rhsEvals(), rk4.vjpEvals());
        metrics.put("vdp_gn_jac_evals", gn.jacEvals()).put("vdp_gn_rhs_evals", gn.rhsEvals())
                .put("vdp_rk4_rhs_evals", rk4.rhsEvals()).put("vdp_rk4_vjp_evals", rk4.vjpEvals());

        NodeExperiments.PenaltyAdamRun pen = NodeExperiments.vanDerPolPenaltyAdam(seed, 1500, 1e-2, 1e2);
        System.out.printf("  ablation, the same NLP by Adam on F + (ρ/2)‖c‖² (ρ = 1e2, lr 1e-2, 1500 iterations): F %.4e,"
                        + " ‖c‖∞ %.1e, re-simulated F %.4e (RK4-backprop %.4e), train MSE vs clean %.3e, %.2f s%n",
                pen.report().f(), pen.cInf(), pen.simulatedF(), e1.baselines().get(0).f(),
                pen.report().trainMseClean(), pen.report().seconds());
        metrics.put("vdp_penalty_adam_simulated_f", pen.simulatedF()).put("vdp_penalty_adam_c_inf", pen.cInf())
                .put("vdp_penalty_adam_seconds", pen.report().seconds())
                .put("vdp_penalty_adam_train_mse", pen.report().trainMseClean());
        if (IpoptJnaSolver.isAvailable()) {
            MethodReport ip = NodeExperiments.vanDerPolIpopt(seed, 3000);
            System.out.printf("  Ipopt (L-BFGS Hessian) on the same NLP: F %.4e, train MSE vs clean %.3e, extrapolation"
                            + " %.3g, %d iterations in %.2f s (%s); GN-SQP: F %.4e in %.2f s%n", ip.f(),
                    ip.trainMseClean(), ip.testMse(), ip.iterations(), ip.seconds(), ip.status(), gn.f(), gn.seconds());
            metrics.put("vdp_ipopt_seconds", ip.seconds()).put("vdp_ipopt_f", ip.f())
                    .put("vdp_ipopt_iterations", ip.iterations()).put("vdp_ipopt_train_mse", ip.trainMseClean());
        } else {
            System.out.println("  Ipopt skipped: " + IpoptJnaSolver.unavailableReason());
        }

        NodeExperiments.Run e2 = NodeExperiments.quarterVehicle(seed, NodeExperiments.QvmConfig.quick());
        SolverBasedTrainer.Result qb = e2.baselines().get(0);
        double qt = NodeExperiments.timeToTarget(e2.collocationSimulatedF(), qb.f());
        System.out.printf("%nE2 seed %d: RK4-backprop final F %.4e in %.2f s; collocation reaches it at %s s → ratio %.3f"
                        + " (target ≤ 0.2); damper RMS %.1f N vs RK4 %.1f N%n", seed, qb.f(), qb.seconds(),
                Double.isNaN(qt) ? "never" : String.format("%.2f", qt), qt / qb.seconds(), e2.reports().get(0).extra(),
                e2.reports().get(1).extra());
        metrics.put("qvm_time_ratio", qt / qb.seconds());

        timeSplit(metrics);
        scaling(dir, metrics);
        arraySizes(e1, metrics);

        double javaMs = 1e3 * rk4.seconds() / rk4.iterations();
        TorchPeer.Result torch = TorchPeer.run(python, "node_rk4_step.py", threads, 30);
        if (torch.ok()) {
            System.out.printf("%nRK4-backprop iteration (E1): Java %.2f ms, PyTorch %s %.2f ms (%d threads, float64)"
                    + " → Java / PyTorch = %.2f (target ≤ 3)%n", javaMs, torch.version(), torch.msPerStep(), threads,
                    javaMs / torch.msPerStep());
            metrics.put("rk4_ms_per_iteration_java", javaMs).put("rk4_ms_per_iteration_torch", torch.msPerStep())
                    .put("rk4_java_vs_torch", javaMs / torch.msPerStep());
        } else {
            System.out.println("PyTorch peer skipped: " + torch.problem());
            metrics.put("rk4_ms_per_iteration_java", javaMs).missing("rk4_java_vs_torch");
        }
        System.out.println("metrics: " + metrics.write(dir));
        return 0;
    }

    private void timeSplit(Metrics metrics) {
        TrainingData data = VanDerPol.data(10, 0.05, seed);
        GaussNewtonSqpSolver solver = new GaussNewtonSqpSolver();
        CollocationTrainer.Result r = CollocationTrainer.train(VanDerPol.model(16, 16), data,
                CollocationTrainer.Config.defaults().withSeed(seed).withSolver(SolverOptions.defaults()
                        .withMaxIter(100)), solver);
        String[] parts = {"node_jacobians", "forward_sweep", "normal_matrix", "cholesky_and_step", "merit_evals"};
        double total = 0;
        for (double s : solver.timeSplit) {
            total += s;
        }
        System.out.printf("%nGN iteration time split on E1 (%d iterations, %.2f s in the solver):%n", r.iterations(),
                total);
        for (int i = 0; i < parts.length; i++) {
            double ms = 1e3 * solver.timeSplit[i] / r.iterations();
            System.out.printf("  %-18s %6.2f ms/iteration (%4.1f%%)%n", parts[i], ms, 100 * solver.timeSplit[i] / total);
            metrics.put("gn_split_ms_" + parts[i], ms);
        }
    }

    private void scaling(Path dir, Metrics metrics) throws Exception {
        CsvTable table = new CsvTable("nodes", "np", "seconds_per_iteration");
        int[] intervals = {100, 200, 400, 800};
        double[] seconds = new double[intervals.length];
        System.out.printf("%nGN seconds per iteration as N doubles (np = %d):%n", NodeScaling.parameterCount(16));
        for (int i = 0; i < intervals.length; i++) {
            seconds[i] = NodeScaling.secondsPerIteration(intervals[i], 16, 9);
            table.add(3 * intervals[i], NodeScaling.parameterCount(16), seconds[i]);
            System.out.printf("  N = %4d: %7.1f ms%s%n", 3 * intervals[i], 1e3 * seconds[i],
                    i == 0 ? "" : String.format("  (×%.2f)", seconds[i] / seconds[i - 1]));
        }
        double growth = NodeScaling.growthPerDoubling(seconds);
        System.out.printf("  growth per doubling %.2f× (target ≤ 2.3)%n", growth);
        metrics.put("scaling_per_doubling", growth);
        int[] hidden = {7, 16, 34};
        double[] np = new double[hidden.length];
        double[] t = new double[hidden.length];
        System.out.println("GN seconds per iteration as np grows (N = 300):");
        for (int i = 0; i < hidden.length; i++) {
            np[i] = NodeScaling.parameterCount(hidden[i]);
            t[i] = NodeScaling.secondsPerIteration(100, hidden[i], 5);
            table.add(300, np[i], t[i]);
            System.out.printf("  np = %4.0f: %7.1f ms%n", np[i], 1e3 * t[i]);
            metrics.put("ms_per_iteration_np_" + (int) np[i], 1e3 * t[i]);
        }
        double exponent = Math.log(t[2] / t[0]) / Math.log(np[2] / np[0]);
        System.out.printf("  time ∝ np^%.2f (spec: expect ≈ np²)%n", exponent);
        metrics.put("scaling_np_exponent", exponent);
        table.write(dir.resolve("scaling.csv"));
    }

    /** Bytes the methods hold per iteration: S of the GN step against the stage states + Jacobians of backprop. */
    private static void arraySizes(NodeExperiments.Run e1, Metrics metrics) {
        int nodes = e1.collocation().problem().nodeCount();
        int nx = 2;
        int np = e1.collocation().problem().parameterCount();
        long sBytes = 8L * nodes * nx * np;
        int stageRows = 4 * 100;
        int nTheta = e1.model().thetaDim();
        long backpropBytes = 8L * stageRows * nx * (1 + nx + nTheta);
        System.out.printf("%nheld per iteration on E1: GN's S = %d × %d doubles = %.2f MB; RK4-backprop's stage states +"
                        + " stage Jacobians = %d × %d × %d doubles = %.2f MB%n", nodes * nx, np, sBytes / 1e6, stageRows,
                nx, 1 + nx + nTheta, backpropBytes / 1e6);
        metrics.put("gn_s_bytes", sBytes).put("rk4_backprop_stage_bytes", backpropBytes);
    }
}
