package org.leantrain.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Rng;
import org.leantrain.core.util.Threads;
import org.leantrain.examples.Plots;
import org.leantrain.examples.RunOptions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code leantrain-bench core}: tape overhead, matmul paths, and the MLP training step against PyTorch. */
@Command(name = "core", mixinStandardHelpOptions = true,
        description = "Core benchmarks: tape overhead, matmul paths, MLP step vs DL4J and PyTorch CPU, LSTM step vs PyTorch.")
public final class CoreBench implements Callable<Integer> {
    /** --out, and --threads for ND4J and the PyTorch peer alike (default 2). */
    @Mixin
    RunOptions run;

    @Option(names = "--rounds", defaultValue = "15", description = "interleaved timing rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with PyTorch for the peer timing (default: ${DEFAULT-VALUE})")
    String python;

    @Override
    public Integer call() throws Exception {
        if (rounds < 3) {
            throw new IllegalArgumentException("--rounds must be >= 3, got " + rounds);
        }
        int threads = run.threads(2);
        Threads.setNd4jThreads(threads);
        Path dir = run.start("bench-core");
        Metrics metrics = new Metrics();
        System.out.printf("core benchmark: %d ND4J threads, %d rounds, results in %s%n", threads, rounds, dir);

        TapeChain chain = new TapeChain();
        double[] tape = Timing.interleaved(rounds, 20, chain::tensors, chain::raw);
        double tapeRatio = tape[0] / tape[1];
        System.out.printf("1. tape overhead, %d×(mul, add, tanh) on %d×%d float32: tensors %.3f ms, raw ND4J %.3f ms,"
                + " ratio %.3f (target <= 1.10)%n", TapeChain.LINKS, TapeChain.SIZE, TapeChain.SIZE, tape[0], tape[1],
                tapeRatio);
        metrics.put("tape_overhead_ratio", tapeRatio).put("tape_chain_ms", tape[0]).put("raw_chain_ms", tape[1]);

        CsvTable matmul = new CsvTable("n", "core_ms", "core_step_memory_ms", "mmul_ms", "gemm_ms");
        System.out.println("2. matmul, float32 n×n·n×n (ms): core Tensor.matmul (fresh output / in StepMemory),"
                + " INDArray.mmul, Nd4j.gemm into a preallocated result");
        for (int n : new int[] {64, 256, 1024}) {
            double[] t = matmulTimes(n);
            matmul.add(n, t[0], t[3], t[1], t[2]);
            System.out.printf("   n=%4d  core %8.3f / %8.3f  mmul %8.3f  gemm %8.3f  mmul/gemm %.2f  core/gemm %.2f%n",
                    n, t[0], t[3], t[1], t[2], t[1] / t[2], t[0] / t[2]);
            metrics.put("matmul_core_ms_" + n, t[0]).put("matmul_core_step_memory_ms_" + n, t[3])
                    .put("matmul_mmul_ms_" + n, t[1]).put("matmul_gemm_ms_" + n, t[2]);
            if (n == 256) {
                metrics.put("gemm_vs_mmul_256", t[1] / t[2]);
            }
        }
        matmul.write(dir.resolve("matmul.csv"));

        // the Java step is timed before and after the PyTorch peer, so that drifting machine load hits both
        MlpStep step = new MlpStep(256);
        for (int i = 0; i < 200; i++) {
            step.run();
            step.plain();
        }
        double[] before = Timing.interleaved(rounds, 10, step, step::plain);
        TorchPeer.Result torch = TorchPeer.run(python, "mlp_step.py", threads, 10 * rounds);
        double[] after = Timing.interleaved(rounds, 10, step, step::plain);
        Dl4jMlpStep dl4j = new Dl4jMlpStep(256);
        double[] versusDl4j = Timing.interleaved(rounds, 10, step, dl4j);
        double javaMs = (before[0] + after[0]) / 2;
        double plainMs = (before[1] + after[1]) / 2;
        System.out.printf("3. MLP 784-512-512-10, batch 256, float32 SGD step: leantrain %.2f ms in StepMemory,"
                + " %.2f ms with plain allocation%n", javaMs, plainMs);
        metrics.put("mlp_step_ms", javaMs).put("mlp_step_plain_alloc_ms", plainMs);
        double dl4jRatio = versusDl4j[0] / versusDl4j[1];
        System.out.printf("   DL4J MultiLayerNetwork: %.2f ms (leantrain %.2f ms in the same rounds), leantrain/DL4J %.2f"
                + " (target <= 1.0)%n", versusDl4j[1], versusDl4j[0], dl4jRatio);
        metrics.put("mlp_step_dl4j_ms", versusDl4j[1]).put("mlp_step_ratio_vs_dl4j", dl4jRatio);
        if (torch.ok()) {
            double ratio = javaMs / torch.msPerStep();
            System.out.printf("   PyTorch %s: %.2f ms, leantrain/PyTorch %.2f (target <= 1.5)%n", torch.version(),
                    torch.msPerStep(), ratio);
            metrics.put("mlp_step_torch_ms", torch.msPerStep()).put("mlp_step_ratio_vs_torch", ratio);
        } else {
            System.out.println("   PyTorch: not measured (" + torch.problem() + ")");
            metrics.missing("mlp_step_torch_ms").missing("mlp_step_ratio_vs_torch");
        }

        LstmStep lstm = new LstmStep();
        double lstmMs = Timing.medianMillis(5, Math.max(10, 2 * rounds), lstm);
        TorchPeer.Result torchLstm = TorchPeer.run(python, "lstm_step.py", threads, Math.max(10, 2 * rounds));
        System.out.printf("4. LSTM 256→256, batch 64, 35 steps, float32 SGD step: leantrain %.1f ms%n", lstmMs);
        metrics.put("lstm_step_ms", lstmMs);
        if (torchLstm.ok()) {
            double ratio = lstmMs / torchLstm.msPerStep();
            System.out.printf("   PyTorch: %.1f ms, leantrain/PyTorch %.2f%n", torchLstm.msPerStep(), ratio);
            metrics.put("lstm_step_torch_ms", torchLstm.msPerStep()).put("lstm_step_ratio_vs_torch", ratio);
        } else {
            System.out.println("   PyTorch: not measured (" + torchLstm.problem() + ")");
            metrics.missing("lstm_step_torch_ms").missing("lstm_step_ratio_vs_torch");
        }

        Map<String, double[][]> series = new LinkedHashMap<>();
        double[] ns = matmul.column("n");
        series.put("core Tensor.matmul", new double[][] {ns, matmul.column("core_ms")});
        series.put("core Tensor.matmul in StepMemory", new double[][] {ns, matmul.column("core_step_memory_ms")});
        series.put("INDArray.mmul", new double[][] {ns, matmul.column("mmul_ms")});
        series.put("Nd4j.gemm (preallocated)", new double[][] {ns, matmul.column("gemm_ms")});
        Plots.lines(dir.resolve("matmul.png"), "float32 matmul time", "n", "ms", series, true);
        metrics.write(dir);
        System.out.println("wrote metrics.json, matmul.csv, matmul.png to " + dir);
        return 0;
    }

    /**
     * ms per call: core matmul (no recording), INDArray.mmul, Nd4j.gemm into a preallocated result, and core matmul
     * inside a StepMemory scope (its output recycled).
     */
    private double[] matmulTimes(int n) {
        Rng rng = new Rng(n);
        INDArray a = rng.normal(DataType.FLOAT, 0, 1, n, n);
        INDArray b = rng.normal(DataType.FLOAT, 0, 1, n, n);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, n);
        Tensor ta = Tensor.of(a);
        Tensor tb = Tensor.of(b);
        int inner = n >= 1024 ? 2 : n >= 256 ? 10 : 100;
        double[] coreVsMmul = Timing.interleaved(rounds, inner, () -> {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                ta.matmul(tb);
            }
        }, () -> a.mmul(b));
        double[] gemmVsRecycled = Timing.interleaved(rounds, inner, () -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0),
                () -> {
                    try (StepMemory ignored = StepMemory.open(); GradMode.Scope off = GradMode.noGrad()) {
                        ta.matmul(tb);
                    }
                });
        return new double[] {coreVsMmul[0], coreVsMmul[1], gemmVsRecycled[0], gemmVsRecycled[1]};
    }
}
