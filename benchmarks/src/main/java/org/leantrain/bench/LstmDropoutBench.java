package org.leantrain.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Rng;
import org.leantrain.dropout.BpttBatcher;
import org.leantrain.dropout.DropoutConfig;
import org.leantrain.dropout.LmConfig;
import org.leantrain.dropout.LmCorpus;
import org.leantrain.dropout.LmTrainer;
import org.leantrain.dropout.LstmLanguageModel;
import org.leantrain.dropout.SiteKernels;
import org.leantrain.dropout.Variant;
import org.leantrain.examples.Plots;
import org.leantrain.examples.RunOptions;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code leantrain-bench lstm-dropout}: spec §8 of dropout-sparsity from one run — the per-site kernel grid (dense
 * masked vs structured, GEMMs alone and with gather/scatter), the training-step grid of all four variants with
 * the Amdahl bound from the dense masked step's measured GEMM share, peak saved bytes, and DL4J's and PyTorch's
 * LSTM language models at the same size.
 */
@Command(name = "lstm-dropout", mixinStandardHelpOptions = true,
        description = "Structured-dropout LSTM: kernel speed-ups vs p, H, B; step times of STRUCTURED, DENSE_MASKED"
                + " (per step and fused), ZAREMBA with the Amdahl bound; DL4J and PyTorch peers.")
public final class LstmDropoutBench implements Callable<Integer> {
    private static final int VOCAB = LmCorpus.FORTUNE_VOCAB;
    private static final Variant[] VARIANTS = {Variant.STRUCTURED, Variant.DENSE_MASKED, Variant.DENSE_MASKED_FUSED,
        Variant.ZAREMBA, Variant.STRUCTURED_KEPT_WEIGHTS};

    @Mixin
    RunOptions run;

    @Option(names = "--parts", split = ",", defaultValue = "kernel,step,external",
            description = "what to measure: kernel, step, external (default: ${DEFAULT-VALUE})")
    List<String> parts;

    @Option(names = "--kernel-h", split = ",", defaultValue = "256,650,1024,1500",
            description = "layer widths H of the kernel grid (default: ${DEFAULT-VALUE})")
    int[] kernelHidden;

    @Option(names = "--kernel-b", split = ",", defaultValue = "20,64",
            description = "batches of the kernel grid (default: ${DEFAULT-VALUE})")
    int[] kernelBatch;

    @Option(names = "--p", split = ",", defaultValue = "0,0.25,0.5,0.65,0.75",
            description = "dropout rates of the kernel grid (default: ${DEFAULT-VALUE})")
    double[] rates;

    @Option(names = "--step-h", split = ",", defaultValue = "256,650,1024",
            description = "layer widths of the step grid (default: ${DEFAULT-VALUE})")
    int[] stepHidden;

    @Option(names = "--step-p", split = ",", defaultValue = "0.5,0.65",
            description = "dropout rates of the step grid (default: ${DEFAULT-VALUE})")
    double[] stepRates;

    @Option(names = "--batch", defaultValue = "64", description = "batch B of the step grid (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--bptt", defaultValue = "25",
            description = "segment length T of the step grid (default: ${DEFAULT-VALUE}; the full runs use 100)")
    int bptt;

    @Option(names = "--rounds", defaultValue = "5", description = "interleaved timing rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with PyTorch for the peer timing (default: ${DEFAULT-VALUE})")
    String python;

    @Override
    public Integer call() throws Exception {
        Parts.check(parts, "kernel", "step", "external");
        if (rounds < 1 || batch < 1 || bptt < 1) {
            throw new IllegalArgumentException("--rounds, --batch and --bptt must be >= 1");
        }
        for (double p : concat(rates, stepRates)) {
            DropoutConfig.of(p, 0); // validates every rate before anything runs
        }
        int threads = run.threads(2);
        Path dir = run.start("bench-lstm-dropout");
        Metrics metrics = new Metrics().put("threads", threads).put("step_batch", batch).put("step_bptt", bptt);
        if (parts.contains("kernel")) {
            kernelGrid(dir, metrics);
        }
        if (parts.contains("step")) {
            stepGrid(dir, metrics);
        }
        if (parts.contains("external")) {
            external(threads, metrics);
        }
        metrics.write(dir);
        System.out.println("lstm-dropout bench: wrote metrics.json and the CSV/PNG files to " + dir);
        return 0;
    }

    /** One site, forward + input gradient + weight gradient, dense masked vs structured, interleaved. */
    private void kernelGrid(Path dir, Metrics metrics) throws java.io.IOException {
        CsvTable table = new CsvTable("H", "B", "p", "k", "dense_ms", "structured_ms", "dense_gemm_ms",
                "structured_gemm_ms", "structured_kept_weights_ms", "gemm_speedup", "speedup", "speedup_kept_weights",
                "target_gemm", "target_speedup");
        Map<String, double[][]> plot = new LinkedHashMap<>();
        for (int b : kernelBatch) {
            for (int h : kernelHidden) {
                double[] x = new double[rates.length];
                double[] y = new double[rates.length];
                for (int i = 0; i < rates.length; i++) {
                    double p = rates[i];
                    SiteKernels k = new SiteKernels(h, 4 * h, b, p, DataType.FLOAT, new Rng(1));
                    int inner = h >= 1024 ? 2 : 5;
                    double[] ms = Timing.interleaved(rounds, inner, k.dense(), k.structured(), k.denseGemms(),
                            k.structuredGemms(), k.structuredKeptWeights());
                    double gemmSpeedup = ms[2] / ms[3];
                    double speedup = ms[0] / ms[1];
                    table.add(h, b, p, k.kept(), ms[0], ms[1], ms[2], ms[3], ms[4], gemmSpeedup, speedup, ms[0] / ms[4],
                            0.8 / (1 - p), 0.65 / (1 - p));
                    x[i] = p;
                    y[i] = speedup;
                    System.out.printf("kernel H=%d B=%d p=%.2f: dense %.2f ms, structured %.2f ms (%.2f×; GEMMs alone"
                                    + " %.2f×; weights kept %.2f×)%s%n", h, b, p, ms[0], ms[1], speedup, gemmSpeedup,
                            ms[0] / ms[4],
                            b == 64 && h >= 650 ? String.format(" targets %.2f× / %.2f×", 0.8 / (1 - p),
                                    0.65 / (1 - p)) : "");
                    if (h == 1024 && b == 64 && p == 0.5) {
                        metrics.put("gemm_speedup_p50_h1024_b64", gemmSpeedup)
                                .put("kernel_speedup_p50_h1024_b64", speedup)
                                .put("kernel_speedup_kept_weights_p50_h1024_b64", ms[0] / ms[4]);
                    }
                }
                plot.put("H=" + h + ", B=" + b, new double[][] {x, y});
            }
        }
        double[] target = new double[rates.length];
        for (int i = 0; i < rates.length; i++) {
            target[i] = 0.65 / (1 - rates[i]);
        }
        plot.put("target 0.65/(1 - p), B=64, H>=650", new double[][] {rates.clone(), target});
        table.write(dir.resolve("kernel.csv"));
        Plots.lines(dir.resolve("kernel_speedup.png"), "one site, fwd + both bwd GEMMs with gather/scatter:"
                + " dense masked / structured", "dropout p", "speed-up", plot, false);
    }

    /** Training steps of every variant at each H and p, interleaved; the Amdahl bound from DENSE_MASKED's φ. */
    private void stepGrid(Path dir, Metrics metrics) throws java.io.IOException {
        CsvTable table = new CsvTable("H", "p", "structured_ms", "dense_ms", "dense_fused_ms", "zaremba_ms",
                "structured_kept_weights_ms", "phi", "amdahl_bound", "speedup_vs_dense", "speedup_vs_faster_dense",
                "amdahl_fraction", "saved_mb_structured", "saved_mb_dense", "saved_mb_dense_fused", "saved_mb_zaremba",
                "saved_mb_structured_kept_weights");
        Map<String, double[][]> plot = new LinkedHashMap<>();
        for (int h : stepHidden) {
            double[] x = stepRates.clone();
            double[] structuredMs = new double[stepRates.length];
            double[] denseMs = new double[stepRates.length];
            for (int i = 0; i < stepRates.length; i++) {
                double p = stepRates[i];
                LmConfig config = new LmConfig(VOCAB, h, h, 2, bptt, batch, DropoutConfig.of(p, 3), 5, 2e-3,
                        DataType.FLOAT);
                Runnable[] steps = new Runnable[VARIANTS.length];
                long[] saved = new long[VARIANTS.length];
                for (int v = 0; v < VARIANTS.length; v++) {
                    int which = v;
                    LmTrainer trainer = new LmTrainer(new LstmLanguageModel(config, new Rng(1)), VARIANTS[v]);
                    BpttBatcher.Segment segment = segment(config, new Rng(2));
                    LstmLanguageModel.State zero = new LstmLanguageModel(config, new Rng(1)).zeroState(batch);
                    steps[v] = () -> saved[which] = Math.max(saved[which], trainer.step(segment, zero).peakSavedBytes());
                }
                double[] ms = Timing.interleaved(rounds, 1, steps);
                double phi = shrinkableShare(config, ms[1]);
                double bound = 1 / (1 - phi + phi * (1 - p));
                double speedup = ms[1] / ms[0];
                double vsFaster = Math.min(ms[1], ms[2]) / ms[0];
                table.add(h, p, ms[0], ms[1], ms[2], ms[3], ms[4], phi, bound, speedup, vsFaster, speedup / bound,
                        saved[0] / 1e6, saved[1] / 1e6, saved[2] / 1e6, saved[3] / 1e6, saved[4] / 1e6);
                structuredMs[i] = ms[0];
                denseMs[i] = ms[1];
                System.out.printf("step H=%d p=%.2f: STRUCTURED %.0f ms, DENSE_MASKED %.0f ms, fused %.0f ms, ZAREMBA %.0f"
                                + " ms, STRUCTURED_KEPT_WEIGHTS %.0f ms; %.2f× vs dense per step, %.2f× vs the faster dense;"
                                + " φ = %.2f, Amdahl bound %.2f× (%.0f%% reached); saved MB %.1f / %.1f / %.1f / %.1f / %.1f%n",
                        h, p, ms[0], ms[1], ms[2], ms[3], ms[4], speedup, vsFaster, phi, bound, 100 * speedup / bound,
                        saved[0] / 1e6, saved[1] / 1e6, saved[2] / 1e6, saved[3] / 1e6, saved[4] / 1e6);
                if (h == 1024 && p == 0.5) {
                    metrics.put("step_speedup_p50_h1024", vsFaster)
                            .put("step_speedup_vs_dense_per_step_p50_h1024", speedup)
                            .put("amdahl_fraction_p50", speedup / bound)
                            .put("phi_h1024", phi)
                            .put("ms_per_step_structured_h1024", ms[0])
                            .put("ms_per_step_dense_h1024", ms[1])
                            .put("ms_per_step_dense_fused_h1024", ms[2])
                            .put("ms_per_step_zaremba_h1024", ms[3])
                            .put("ms_per_step_structured_kept_weights_h1024", ms[4])
                            .put("step_speedup_kept_weights_p50_h1024", Math.min(ms[1], ms[2]) / ms[4])
                            .put("peak_saved_bytes_structured_h1024", saved[0])
                            .put("peak_saved_bytes_dense_h1024", saved[1])
                            .put("peak_saved_bytes_structured_kept_weights_h1024", saved[4]);
                }
            }
            plot.put("STRUCTURED H=" + h, new double[][] {x, structuredMs});
            plot.put("DENSE_MASKED H=" + h, new double[][] {x, denseMs});
        }
        table.write(dir.resolve("step.csv"));
        Plots.lines(dir.resolve("step_time.png"), "training step (B=" + batch + ", T=" + bptt + ", 2 layers)",
                "dropout p", "ms per step", plot, true);
    }

    /**
     * φ: the share of a DENSE_MASKED step spent in the GEMMs structured dropout shrinks — T steps × (the two LSTM
     * input sites and the decoder site) × (forward, input-gradient, weight-gradient GEMMs), timed alone.
     */
    private double shrinkableShare(LmConfig c, double denseStepMs) {
        SiteKernels lstmSite = new SiteKernels(c.hidden(), 4 * c.hidden(), c.batch(), 0, DataType.FLOAT, new Rng(5));
        SiteKernels decoderSite = new SiteKernels(c.hidden(), c.vocab(), c.batch(), 0, DataType.FLOAT, new Rng(6));
        double perStep = c.layers() * Timing.medianMillis(2, 5, lstmSite.denseGemms())
                + Timing.medianMillis(2, 5, decoderSite.denseGemms());
        return Math.min(1, c.bptt() * perStep / denseStepMs);
    }

    private static BpttBatcher.Segment segment(LmConfig c, Rng rng) {
        int[] tokens = new int[c.batch() * (c.bptt() + 1)];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(c.vocab());
        }
        return new BpttBatcher(tokens, c.batch(), c.bptt()).segment(0);
    }

    /** DL4J and PyTorch LSTM LMs at the largest step-grid size and p, beside STRUCTURED; no target. */
    private void external(int threads, Metrics metrics) throws Exception {
        int h = stepHidden[stepHidden.length - 1];
        double p = stepRates[0];
        LmConfig config = new LmConfig(VOCAB, h, h, 2, bptt, batch, DropoutConfig.of(p, 3), 5, 2e-3, DataType.FLOAT);
        Dl4jLstmReference dl4j = new Dl4jLstmReference(config, new Rng(4));
        LmTrainer trainer = new LmTrainer(new LstmLanguageModel(config, new Rng(1)), Variant.STRUCTURED);
        BpttBatcher.Segment segment = segment(config, new Rng(2));
        LstmLanguageModel.State zero = new LstmLanguageModel(config, new Rng(1)).zeroState(batch);
        double[] ms = Timing.interleaved(Math.max(3, rounds / 2), 1, () -> trainer.step(segment, zero), dl4j);
        metrics.put("ms_per_step_structured_external", ms[0]).put("ms_per_step_dl4j", ms[1])
                .put("step_ratio_dl4j_vs_structured", ms[1] / ms[0]);
        System.out.printf("external H=%d p=%.2f: STRUCTURED %.0f ms/step, DL4J MultiLayerNetwork %.0f ms/step%n", h, p,
                ms[0], ms[1]);
        TorchPeer.Result torch = TorchPeer.run(python, "lstm_lm_step.py", threads, 5, "--hidden",
                Integer.toString(h), "--batch", Integer.toString(batch), "--bptt", Integer.toString(bptt), "--p",
                Double.toString(p), "--vocab", Integer.toString(VOCAB));
        if (torch.ok()) {
            metrics.put("ms_per_step_torch", torch.msPerStep())
                    .put("step_ratio_structured_vs_torch", ms[0] / torch.msPerStep());
            System.out.printf("external: PyTorch %s nn.LSTM %.0f ms/step (STRUCTURED / PyTorch = %.2f)%n",
                    torch.version(), torch.msPerStep(), ms[0] / torch.msPerStep());
        } else {
            metrics.missing("ms_per_step_torch");
            System.out.println("external: PyTorch peer skipped: " + torch.problem());
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
