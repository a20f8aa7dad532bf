package org.leantrain.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.leantrain.core.util.Metrics;
import org.leantrain.examples.GpipeReport;
import org.leantrain.examples.RunOptions;
import org.leantrain.pipeline.CheckpointMode;
import org.leantrain.pipeline.Schedule;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns.Config;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code leantrain-bench gpipe}: the pipeline-parallel spec §8 table from one run — non-pipelined on 1 and 2
 * threads, gradient accumulation, K = 2 × M ∈ {1, 4, 8, 16} × {NEVER, ALWAYS} × {GPipe, 1F1B}, each in fresh JVMs,
 * and PyTorch 1.13 non-pipelined on 1 and 2 threads.
 */
@Command(name = "gpipe", mixinStandardHelpOptions = true,
        description = "GPipe vs non-pipelined training: samples/s, bubble, busy time, peak bytes per stage,"
                + " recompute overhead, PyTorch peer (spec §8).")
public final class GpipeBench implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--rounds", defaultValue = "3", description = "fresh-JVM runs per configuration (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--steps", defaultValue = "20", description = "timed steps per run (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with PyTorch for the peer timing (default: ${DEFAULT-VALUE})")
    String python;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || steps < 1) {
            throw new IllegalArgumentException("--rounds and --steps must be >= 1, got " + rounds + ", " + steps);
        }
        java.nio.file.Path dir = run.start("bench-gpipe");
        Metrics metrics = new Metrics();
        System.out.println("gpipe benchmark, results in " + dir);
        GpipeReport.equivalence(metrics);
        SyntheticPipelineRuns.Settings full = SyntheticPipelineRuns.Settings.full();
        SyntheticPipelineRuns.Settings settings = new SyntheticPipelineRuns.Settings(full.blocks(), full.width(),
                full.batch(), full.stages(), full.warmupSteps(), steps, rounds);
        List<Config> configs = new ArrayList<>(List.of(Config.nonPipelined(1), Config.nonPipelined(2),
                Config.gradAccumulation(8)));
        for (Schedule schedule : Schedule.values()) {
            for (CheckpointMode mode : new CheckpointMode[] {CheckpointMode.NEVER, CheckpointMode.ALWAYS}) {
                for (int m : new int[] {1, 4, 8, 16}) {
                    configs.add(Config.pipeline(m, mode, schedule));
                }
            }
        }
        System.out.printf("%d configurations × %d fresh-JVM runs of %d warm-up + %d timed steps...%n", configs.size(),
                rounds, settings.warmupSteps(), steps);
        List<Row> rows = org.leantrain.examples.ForkedPipelineRuns.run(settings, configs, dir);
        GpipeReport.speedAndMemory(rows, settings, dir, metrics);
        torchPeer(rows, metrics);
        System.out.println("metrics: " + metrics.write(dir));
        return 0;
    }

    private void torchPeer(List<Row> rows, Metrics metrics) throws Exception {
        for (int threads : new int[] {1, 2}) {
            TorchPeer.Result torch = TorchPeer.run(python, "gpipe_mlp.py", threads, steps);
            if (!torch.ok()) {
                System.out.println("PyTorch peer (" + threads + " threads): " + torch.problem());
                metrics.missing("torch_" + threads + "thread_ms_per_step");
                continue;
            }
            double ours = SyntheticPipelineRuns.find(rows, Config.nonPipelined(threads).name()).msPerStep();
            System.out.printf("PyTorch %s non-pipelined, %d thread(s): %.1f ms/step; ours %.1f ms/step = %.2fx of"
                    + " torch's samples/s%n", torch.version(), threads, torch.msPerStep(), ours, torch.msPerStep() / ours);
            metrics.put("torch_" + threads + "thread_ms_per_step", torch.msPerStep())
                    .put("nonpipelined_vs_torch_samples_ratio_" + threads + "thread", torch.msPerStep() / ours);
        }
    }
}
