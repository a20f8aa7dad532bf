package org.leantrain.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.optim.Sgd;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Spec §6.11 (memory model), §6.12 (per-stage threads) and the measured bubble against (K−1)/(M+K−1). */
class MemoryAndTimingTest {
    private static final int N = 32;

    @Test
    void peakBytesFollowTheMemoryModel() {
        Sequential model = TestModels.mlp(8, 64, 64, 0, DataType.FLOAT, 1);
        int[] balance = {8, 9};
        Tensor x = TestModels.normal(DataType.FLOAT, 1, N, 64);
        Tensor y = TestModels.normal(DataType.FLOAT, 2, N, 64);
        List<List<Module>> stages = Pipeline.cut(model, balance);
        MemoryModel.Footprint[] fp = {
            MemoryModel.measure(stages.get(0), x, null, null),
            MemoryModel.measure(stages.get(1), Tensor.ones(DataType.FLOAT, N, 64), LossFn.mse(), y)};
        long[][] never = new long[9][];
        for (CheckpointMode mode : new CheckpointMode[] {CheckpointMode.NEVER, CheckpointMode.ALWAYS}) {
            for (int m : new int[] {1, 2, 4, 8}) {
                long[] peaks = peaks(model, balance, m, mode, Schedule.GPIPE, x, y);
                for (int s = 0; s < 2; s++) {
                    double predicted = MemoryModel.predictedPeak(mode, Schedule.GPIPE, s, 2, N, m, fp[s]);
                    double slack = fp[s].beta() * (N / m);
                    assertEquals(predicted, peaks[s], slack, mode + " M=" + m + " stage " + s);
                }
                if (mode == CheckpointMode.NEVER) {
                    never[m] = peaks;
                } else if (m == 8) {
                    for (int s = 0; s < 2; s++) {
                        assertTrue(peaks[s] <= 0.4 * never[8][s], "ALWAYS M=8 stage " + s + ": " + peaks[s] + " vs "
                                + never[8][s]);
                    }
                }
            }
        }
        long[] oneFOneB = peaks(model, balance, 8, CheckpointMode.NEVER, Schedule.ONE_F_ONE_B, x, y);
        double oneGraph = fp[0].alpha() * (N / 8);
        assertTrue(oneFOneB[0] <= 2 * oneGraph + 1, "1F1B stage 0 holds " + oneFOneB[0] / oneGraph + " graphs");
    }

    private static long[] peaks(Sequential model, int[] balance, int m, CheckpointMode mode, Schedule schedule,
                                Tensor x, Tensor y) {
        PipelineConfig cfg = new PipelineConfig(balance, m, mode, schedule, 1, 0, false);
        try (Pipeline pipe = Pipeline.of(model, cfg, p -> new Sgd(p, 1e-3, 0))) {
            return pipe.trainStep(x, y, LossFn.mse()).peakSavedBytes();
        }
    }

    @Test
    void aOneThreadStageUsesOneCore() throws Exception {
        StageWorker worker = new StageWorker(0, 1);
        try {
            INDArray a = Nd4j.rand(DataType.FLOAT, 512, 512);
            INDArray c = Nd4j.create(DataType.FLOAT, 512, 512);
            worker.submit(() -> Nd4j.gemm(a, a, c, false, false, 1.0, 0.0)).get(); // warm-up
            double cores = worker.submit(() -> ThreadBudget.measuredCores(() -> {
                long end = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < end) {
                    Nd4j.gemm(a, a, c, false, false, 1.0, 0.0);
                    org.nd4j.linalg.ops.transforms.Transforms.tanh(c.addi(a), false);
                }
            })).get();
            assertTrue(cores <= 1.3, "a 1-thread stage used " + cores + " cores");
        } finally {
            worker.close();
        }
    }

    @Test
    void measuredBubbleMatchesTheFormula() {
        // two stages of known cost (10 ms forward, 20 ms backward per micro-batch): bubble (K−1)/(M+K−1). Cells are
        // long because a woken stage thread may first share its waker's core for a few ms (Linux wake-affinity).
        Sequential model = new Sequential(new BusyLayer(10_000_000, 20_000_000, DataType.DOUBLE),
                new BusyLayer(10_000_000, 20_000_000, DataType.DOUBLE));
        for (int m : new int[] {1, 4, 8}) {
            PipelineConfig cfg = new PipelineConfig(new int[] {1, 1}, m, CheckpointMode.NEVER, Schedule.GPIPE, 1, 0,
                    false);
            try (Pipeline pipe = Pipeline.of(model, cfg, p -> new Sgd(p, 1e-3, 0))) {
                Tensor x = Tensor.ones(DataType.DOUBLE, 8, 2);
                double[] bubbles = new double[8];
                for (int step = 0; step < bubbles.length; step++) {
                    bubbles[step] = pipe.trainStep(x, x, LossFn.mse()).trace().bubbleFraction();
                }
                // the median of the last five steps (the first ones pay for JIT compilation)
                double[] last = java.util.Arrays.copyOfRange(bubbles, 3, 8);
                java.util.Arrays.sort(last);
                double bubble = last[2];
                assertEquals(Schedule.bubbleFraction(2, m), bubble, 0.05, "M=" + m);
            }
        }
    }
}
