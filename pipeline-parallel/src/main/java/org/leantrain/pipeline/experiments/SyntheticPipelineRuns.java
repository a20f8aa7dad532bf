package org.leantrain.pipeline.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.optim.Sgd;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.leantrain.pipeline.CheckpointMode;
import org.leantrain.pipeline.LossFn;
import org.leantrain.pipeline.MemoryModel;
import org.leantrain.pipeline.NonPipelinedTrainer;
import org.leantrain.pipeline.Pipeline;
import org.leantrain.pipeline.PipelineConfig;
import org.leantrain.pipeline.Schedule;
import org.leantrain.pipeline.StepResult;
import org.leantrain.pipeline.Trace;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Experiments E2 (speed) and E3 (memory) of spec §7 on the synthetic uniform model L × (Linear width→width + ReLU),
 * float32, SGD, MSE against random targets: every configuration keeps its own model and pipeline, and the timed steps
 * run round-robin (interleaved rounds), so slow phases of a noisy machine hit all configurations alike.
 */
public final class SyntheticPipelineRuns {
    /** Sizes and timing effort. */
    public record Settings(int blocks, int width, int batch, int stages, int warmupSteps, int timedSteps, int rounds) {
        public Settings {
            if (blocks < 1 || width < 1 || batch < 1 || stages < 1 || stages > 2 * blocks) {
                throw new IllegalArgumentException("need blocks, width, batch >= 1 and 1 <= stages <= 2·blocks");
            }
            if (warmupSteps < 0 || timedSteps < 1 || rounds < 1) {
                throw new IllegalArgumentException("need warmupSteps >= 0, timedSteps >= 1, rounds >= 1");
            }
        }

        /** Spec §7 E2 sizes with a short timing (the example). */
        public static Settings quick() {
            return new Settings(8, 1024, 256, 2, 2, 4, 2);
        }

        /** Spec §7 E2: 5 warm-up steps, then 3 interleaved rounds of 20 timed steps (the benchmark). */
        public static Settings full() {
            return new Settings(8, 1024, 256, 2, 5, 20, 3);
        }

        public int layers() {
            return 2 * blocks;
        }
    }

    /** What runs: a pipeline configuration, or a baseline on the calling thread (stages = 0). */
    public record Config(String name, int threads, int micro, CheckpointMode checkpoint, Schedule schedule,
                         boolean pipelined) {
        public static Config nonPipelined(int threads) {
            return new Config("non-pipelined " + threads + "T", threads, 1, CheckpointMode.NEVER, Schedule.GPIPE, false);
        }

        public static Config gradAccumulation(int micro) {
            return new Config("grad-accumulation M=" + micro + " 1T", 1, micro, CheckpointMode.NEVER, Schedule.GPIPE,
                    false);
        }

        public static Config pipeline(int micro, CheckpointMode c, Schedule s) {
            return new Config("K=2 M=" + micro + " " + c + " " + s, 1, micro, c, s, true);
        }
    }

    /**
     * One configuration's measurements. Bubble and busy fractions are medians over timed steps (NaN for baselines);
     * peaks are per stage, from the last step, next to the memory model's prediction.
     */
    public record Row(Config config, double msPerStep, double samplesPerSecond, double bubble, double bubbleFormula,
                      double[] busyFraction, long[] peakBytes, double[] predictedPeakBytes, Trace lastTrace) {}

    private final Settings settings;
    private final Tensor x;
    private final Tensor y;

    public SyntheticPipelineRuns(Settings settings) {
        this.settings = settings;
        this.x = Tensor.of(new Rng(2).normal(DataType.FLOAT, 0, 1, settings.batch(), settings.width()));
        this.y = Tensor.of(new Rng(3).normal(DataType.FLOAT, 0, 1, settings.batch(), settings.width()));
    }

    public Settings settings() {
        return settings;
    }

    /** The model: {@code blocks} × (Linear width→width + ReLU); the same weights every time. */
    public Sequential model() {
        Rng rng = new Rng(1);
        Sequential m = new Sequential();
        for (int i = 0; i < settings.blocks(); i++) {
            m.add(new Linear(settings.width(), settings.width(), true, DataType.FLOAT, rng));
            m.add(Sequential.lambda(Tensor::relu));
        }
        return m;
    }

    /** Even balance of the layers over the stages. */
    public int[] balance() {
        return org.leantrain.pipeline.MicroBatcher.sizes(settings.layers(), settings.stages());
    }

    /** Runs every configuration, interleaved; {@code progress} hears each round. */
    public List<Row> run(List<Config> configs, java.util.function.IntConsumer progress) {
        List<Runner> runners = new ArrayList<>();
        try {
            for (Config c : configs) {
                runners.add(new Runner(c));
            }
            for (Runner r : runners) {
                for (int s = 0; s < settings.warmupSteps(); s++) {
                    r.step(false);
                }
            }
            for (int round = 0; round < settings.rounds(); round++) {
                for (Runner r : runners) {
                    for (int s = 0; s < settings.timedSteps(); s++) {
                        r.step(true);
                    }
                }
                progress.accept(round + 1);
            }
            List<Row> rows = new ArrayList<>();
            for (Runner r : runners) {
                rows.add(r.row());
            }
            return rows;
        } finally {
            runners.forEach(Runner::close);
        }
    }

    /** One configuration with its own model, trainer or pipeline, and the numbers of its timed steps. */
    private final class Runner implements AutoCloseable {
        private final Config config;
        private final Sequential model;
        private final NonPipelinedTrainer baseline;
        private final Pipeline pipeline;
        private final List<Double> millis = new ArrayList<>();
        private final List<Double> bubbles = new ArrayList<>();
        private final List<double[]> busy = new ArrayList<>();
        private long[] peaks;
        private Trace lastTrace;

        Runner(Config config) {
            this.config = config;
            this.model = model();
            if (config.pipelined()) {
                PipelineConfig cfg = new PipelineConfig(balance(), config.micro(), config.checkpoint(),
                        config.schedule(), config.threads(), 0, false);
                this.pipeline = Pipeline.of(model, cfg, p -> new Sgd(p, 1e-4, 0));
                this.baseline = null;
            } else {
                this.baseline = new NonPipelinedTrainer(model, p -> new Sgd(p, 1e-4, 0), config.micro(),
                        config.threads(), 0);
                this.pipeline = null;
            }
        }

        void step(boolean timed) {
            long start = System.nanoTime();
            StepResult result = null;
            if (pipeline != null) {
                result = pipeline.trainStep(x, y, LossFn.mse());
            } else {
                baseline.trainStep(x, y, LossFn.mse());
            }
            double ms = (System.nanoTime() - start) / 1e6;
            if (!timed) {
                return;
            }
            millis.add(ms);
            if (result != null) {
                Trace trace = result.trace();
                bubbles.add(trace.bubbleFraction());
                double[] b = new double[trace.stages()];
                for (int s = 0; s < b.length; s++) {
                    b[s] = trace.busyFraction(s);
                }
                busy.add(b);
                peaks = result.peakSavedBytes();
                lastTrace = trace;
            } else {
                peaks = new long[] {baseline.peakSavedBytes()};
            }
        }

        Row row() {
            double ms = median(millis);
            double bubble = bubbles.isEmpty() ? Double.NaN : median(bubbles);
            double formula = config.pipelined() ? Schedule.bubbleFraction(settings.stages(), config.micro()) : Double.NaN;
            double[] busyMedian = new double[busy.isEmpty() ? 0 : busy.get(0).length];
            for (int s = 0; s < busyMedian.length; s++) {
                int stage = s;
                busyMedian[s] = median(busy.stream().map(b -> b[stage]).toList());
            }
            return new Row(config, ms, settings.batch() * 1000.0 / ms, bubble, formula, busyMedian, peaks,
                    predictedPeaks(), lastTrace);
        }

        private double[] predictedPeaks() {
            if (!config.pipelined()) {
                return new double[] {Double.NaN};
            }
            List<Module> layers = model.layers(); // footprints depend on shapes only, not on trained values
            int[] balance = balance();
            double[] predicted = new double[balance.length];
            int first = 0;
            Tensor sample = x.slice(0, 0, 4);
            for (int s = 0; s < balance.length; s++) {
                List<Module> stageLayers = layers.subList(first, first + balance[s]);
                boolean last = s == balance.length - 1;
                MemoryModel.Footprint fp = MemoryModel.measure(stageLayers, sample, last ? LossFn.mse() : null,
                        last ? y.slice(0, 0, 4) : null);
                predicted[s] = MemoryModel.predictedPeak(config.checkpoint(), config.schedule(), s, balance.length,
                        settings.batch(), config.micro(), fp);
                try (var noGrad = org.leantrain.core.tensor.GradMode.noGrad()) {
                    for (Module m : stageLayers) {
                        sample = m.forward(sample);
                    }
                }
                first += balance[s];
            }
            return predicted;
        }

        @Override
        public void close() {
            if (pipeline != null) {
                pipeline.close();
            }
        }
    }

    /** The upper median (NaN for none). */
    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    private static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** A row by configuration name. */
    public static Row find(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.config().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no row '" + name + "' among " + Arrays.toString(
                        rows.stream().map(r -> r.config().name()).toArray())));
    }
}
