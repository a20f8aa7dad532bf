package org.leantrain.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.util.Metrics;
import org.leantrain.examples.RunOptions;
import org.leantrain.sde.HybridControl;
import org.leantrain.sde.LinearControl;
import org.leantrain.sde.SdeComparison;
import org.leantrain.sde.SdeExperiments;
import org.leantrain.sde.SdeTrainConfig;
import org.leantrain.sde.SdeVariationalTrainer;
import org.leantrain.sde.TrainCurve;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code leantrain-bench nsde}: neural-sde spec §8 from one run, on E2 and E3: per-iteration time hybrid vs NN-only
 * (interleaved rounds), the information filter's one-off cost against a 300-iteration run, wall time to the
 * threshold (one seed, quick budget), peak saved bytes of an iteration, and PyTorch's NN-only iteration.
 */
@Command(name = "nsde", mixinStandardHelpOptions = true,
        description = "Neural SDE hybrid vs NN-only control: iteration time, filter cost, time to threshold, saved"
                + " bytes on E2 (OU) and E3 (double well); PyTorch peer of the NN-only iteration.")
public final class NsdeBench implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--experiment", split = ",", defaultValue = "ou,doublewell",
            description = "experiments (default: ${DEFAULT-VALUE})")
    List<String> experiments;

    @Option(names = "--rounds", defaultValue = "7", description = "interleaved rounds of 5 iterations (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with torch for the peer (default: ${DEFAULT-VALUE})")
    String python;

    @Override
    public Integer call() throws Exception {
        for (String e : experiments) {
            SdeExperiments.named(e);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        }
        int threads = run.threads(2);
        Path dir = run.start("bench-nsde");
        Metrics metrics = new Metrics().put("threads", threads);
        System.out.println("nsde bench (" + threads + " ND4J threads; PyTorch the same); results in " + dir);
        for (String name : experiments) {
            bench(SdeExperiments.named(name), threads, metrics);
        }
        System.out.println("metrics: " + metrics.write(dir));
        return 0;
    }

    private void bench(SdeExperiments.Experiment e, int threads, Metrics metrics) throws Exception {
        String tag = e.name().equals("ou") ? "e2" : e.name().equals("doublewell") ? "e3" : "e1";
        SdeVariationalTrainer.Problem p = e.problem();
        System.out.printf("%n%s (%s): K = %d, M = 64%n", e.name(), tag, p.grid().steps());
        LinearControl lin = p.linearControl(e.surrogate());
        double filterMs = Timing.medianMillis(2, 5, () -> p.linearControl(e.surrogate()));
        SdeTrainConfig config = SdeTrainConfig.quick(e.quickIters(), e.lr(), 0);
        SdeVariationalTrainer trainer = new SdeVariationalTrainer(p, config);
        SdeVariationalTrainer.Stepper hybrid = trainer.stepper(new HybridControl(lin,
                SdeComparison.network(p, config, 0, true)));
        SdeVariationalTrainer.Stepper nn = trainer.stepper(SdeComparison.network(p, config, 0, true));
        double[] ms = Timing.interleaved(rounds, 5, hybrid::step, nn::step);
        Memory.reset();
        hybrid.step();
        long hybridBytes = Memory.peakSavedBytes();
        Memory.reset();
        nn.step();
        long nnBytes = Memory.peakSavedBytes();
        double runMs = 300 * ms[0];
        System.out.printf("iteration: hybrid %.1f ms, NN-only %.1f ms, ratio %.3f (target ≤ 1.05); peak saved bytes "
                        + "hybrid %d, NN-only %d%n", ms[0], ms[1], ms[0] / ms[1], hybridBytes, nnBytes);
        System.out.printf("information filter: %.2f ms = %.3f%% of a 300-iteration hybrid run (target ≤ 1%%)%n",
                filterMs, 100 * filterMs / runMs);
        metrics.put(tag + "_hybrid_ms_per_iteration", ms[0]).put(tag + "_nn_only_ms_per_iteration", ms[1])
                .put(tag + "_iteration_time_ratio", ms[0] / ms[1]).put(tag + "_filter_ms", filterMs)
                .put(tag + "_filter_fraction_of_300_iterations", filterMs / runMs)
                .put(tag + "_hybrid_peak_saved_bytes", hybridBytes).put(tag + "_nn_only_peak_saved_bytes", nnBytes);

        SdeComparison comparison = new SdeComparison(e);
        SdeComparison.Run r = comparison.run(0, e.quickIters());
        double reference = SdeComparison.reference(List.of(r));
        double threshold = reference - SdeComparison.tolerance(reference);
        TrainCurve h = r.hybrid();
        TrainCurve n = r.neuralOnly();
        double hSec = h.secondsTo(threshold) + r.filterSeconds();
        double nSec = n.secondsTo(threshold);
        boolean never = Double.isInfinite(nSec);
        double nBound = never ? n.seconds()[n.seconds().length - 1] : nSec;
        System.out.printf("time to ELBO_ref − δ = %.2f (seed 0, %d iterations): hybrid %.3f s (filter included), "
                        + "NN-only %s → ratio %s%.0f (target ≥ %s)%n", threshold, e.quickIters(), hSec,
                never ? "never (budget " + String.format("%.1f s", nBound) + ")" : String.format("%.2f s", nSec),
                never ? "≥ " : "", nBound / hSec, tag.equals("e3") ? "4" : "50");
        metrics.put(tag + "_time_to_threshold_ratio", nBound / hSec);
        if (never) {
            metrics.put(tag + "_nn_only_never_reached", 1);
        }

        String peerExperiment = e.name().equals("bridge") ? "ou" : e.name();
        TorchPeer.Result torch = TorchPeer.run(python, "nsde_iteration.py", threads, 20, "--experiment",
                peerExperiment);
        if (torch.ok() && !e.name().equals("bridge")) {
            System.out.printf("PyTorch %s NN-only iteration (%d threads, float64): %.1f ms; Java / PyTorch = %.2f "
                    + "(target ≤ 3)%n", torch.version(), threads, torch.msPerStep(), ms[1] / torch.msPerStep());
            metrics.put(tag + "_torch_ms_per_iteration", torch.msPerStep())
                    .put(tag + "_java_vs_torch", ms[1] / torch.msPerStep());
        } else if (!torch.ok()) {
            System.out.println("PyTorch peer skipped: " + torch.problem());
            metrics.missing(tag + "_java_vs_torch");
        }
    }
}
