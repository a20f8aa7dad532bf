package org.leantrain.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.leantrain.pipeline.CheckpointMode;
import org.leantrain.pipeline.Schedule;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns.Config;
import org.leantrain.pipeline.experiments.SyntheticPipelineRuns.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Hidden: one E2/E3 configuration in this (fresh) JVM, for {@link ForkedPipelineRuns}; prints one result line. */
@Command(name = "gpipe-config", hidden = true, description = "internal: one timed pipeline configuration")
public final class GpipeConfigCommand implements Callable<Integer> {
    @Option(names = "--blocks", required = true) int blocks;
    @Option(names = "--width", required = true) int width;
    @Option(names = "--batch", required = true) int batch;
    @Option(names = "--stages", required = true) int stages;
    @Option(names = "--warmup", required = true) int warmup;
    @Option(names = "--steps", required = true) int steps;
    @Option(names = "--micro", required = true) int micro;
    @Option(names = "--checkpoint", required = true) CheckpointMode checkpoint;
    @Option(names = "--schedule", required = true) Schedule schedule;
    @Option(names = "--config-threads", required = true) int threads;
    @Option(names = "--pipelined", required = true, arity = "1") boolean pipelined;
    @Option(names = "--timeline") Path timeline;

    @Override
    public Integer call() throws Exception {
        SyntheticPipelineRuns.Settings s = new SyntheticPipelineRuns.Settings(blocks, width, batch, stages, warmup,
                steps, 1);
        Config c = new Config("child", threads, micro, checkpoint, schedule, pipelined);
        Row row = new SyntheticPipelineRuns(s).run(List.of(c), round -> { }).get(0);
        if (timeline != null && row.lastTrace() != null) {
            TimelinePlot.write(timeline, "K=" + stages + ", M=" + micro + ", " + schedule + ", " + checkpoint
                    + ": one step", row.lastTrace());
            Files.writeString(Path.of(timeline.toString().replace(".png", ".csv")), row.lastTrace().toCsv());
        }
        System.out.println(ForkedPipelineRuns.format(row));
        return 0;
    }

    static String timelineName(Config c) {
        return "timeline_m" + c.micro() + "_" + c.checkpoint().name().toLowerCase() + "_"
                + c.schedule().name().toLowerCase() + ".png";
    }
}
