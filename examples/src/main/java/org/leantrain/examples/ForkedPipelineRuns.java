package org.leantrain.examples;

import static org.leantrain.pipeline.experiments.SyntheticPipelineRuns.median;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns.Config;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns.Row;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns.Settings;

/**
 * Runs each E2/E3 configuration in a fresh JVM with OMP_NUM_THREADS set to its thread budget (spec §7): ND4J's
 * native thread pools are sized per process, and a process that once ran a 2-thread baseline runs its 1-thread
 * stages measurably slower. Rounds are interleaved (every configuration once per round); the per-step times of all
 * rounds are pooled into medians.
 */
public final class ForkedPipelineRuns {
    static final String ROW_PREFIX = "GPIPE-ROW ";

    private ForkedPipelineRuns() {}

    public static List<Row> run(Settings settings, List<Config> configs, Path timelineDir) throws IOException,
            InterruptedException {
        List<List<Row>> perConfig = new ArrayList<>();
        configs.forEach(c -> perConfig.add(new ArrayList<>()));
        for (int round = 0; round < settings.rounds(); round++) {
            for (int i = 0; i < configs.size(); i++) {
                boolean last = round == settings.rounds() - 1;
                perConfig.get(i).add(runChild(settings, configs.get(i), last ? timelineDir : null));
            }
            System.out.printf("  round %d/%d done (%d fresh JVMs)%n", round + 1, settings.rounds(), configs.size());
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            rows.add(pool(perConfig.get(i), settings.batch()));
        }
        return rows;
    }

    /** Medians over the pooled rounds: the child reports medians of its timed steps; peaks are deterministic. */
    private static Row pool(List<Row> rounds, int batch) {
        Row first = rounds.get(0);
        double ms = median(rounds.stream().mapToDouble(Row::msPerStep).toArray());
        double[] busy = new double[first.busyFraction().length];
        for (int s = 0; s < busy.length; s++) {
            int stage = s;
            busy[s] = median(rounds.stream().mapToDouble(r -> r.busyFraction()[stage]).toArray());
        }
        return new Row(first.config(), ms, batch * 1000.0 / ms, median(rounds.stream().mapToDouble(Row::bubble).toArray()),
                first.bubbleFormula(), busy, first.peakBytes(), first.predictedPeakBytes(), null);
    }

    private static Row runChild(Settings s, Config c, Path timelineDir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx") || a.startsWith("-Dorg.bytedeco")).forEach(cmd::add);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LeantrainCli.class.getName(), "gpipe-config",
                "--blocks", "" + s.blocks(), "--width", "" + s.width(), "--batch", "" + s.batch(),
                "--stages", "" + s.stages(), "--warmup", "" + s.warmupSteps(), "--steps", "" + s.timedSteps(),
                "--micro", "" + c.micro(), "--checkpoint", c.checkpoint().name(), "--schedule", c.schedule().name(),
                "--config-threads", "" + c.threads(), "--pipelined", "" + c.pipelined()));
        if (timelineDir != null && c.pipelined()) {
            cmd.addAll(List.of("--timeline", timelineDir.resolve(GpipeConfigCommand.timelineName(c)).toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(c.threads()));
        pb.environment().put("OMP_WAIT_POLICY", "passive");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the run of '" + c.name() + "' in a fresh JVM failed:\n"
                    + out.lines().filter(l -> !l.contains("WARN")).reduce("", (a, b) -> a + "\n" + b));
        }
        String line = out.lines().filter(l -> l.startsWith(ROW_PREFIX)).findFirst().orElseThrow(
                () -> new IllegalStateException("the run of '" + c.name() + "' printed no result:\n" + out));
        return parse(c, line.substring(ROW_PREFIX.length()));
    }

    /** Inverse of {@link #format}. */
    private static Row parse(Config c, String text) {
        String[] f = text.trim().split(" ");
        return new Row(c, Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), doubles(f[4]), Arrays.stream(doubles(f[5])).mapToLong(d -> (long) d).toArray(),
                doubles(f[6]), null);
    }

    /** One line: ms samples/s bubble formula busy,… peaks,… predicted,… */
    static String format(Row r) {
        return ROW_PREFIX + r.msPerStep() + " " + r.samplesPerSecond() + " " + r.bubble() + " " + r.bubbleFormula()
                + " " + join(r.busyFraction()) + " " + join(Arrays.stream(r.peakBytes()).asDoubleStream().toArray())
                + " " + join(r.predictedPeakBytes());
    }

    private static String join(double[] v) {
        return v.length == 0 ? "-" : String.join(",", Arrays.stream(v).mapToObj(Double::toString).toList());
    }

    private static double[] doubles(String s) {
        return "-".equals(s) ? new double[0] : Arrays.stream(s.split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
