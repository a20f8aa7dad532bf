package org.leantrain.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.leantrain.core.nn.Dropout;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Spec §6.8 (RNG replay under recompute) and §6.10 (DeferredBatchNorm). */
class ReplayAndNormTest {
    private static Sequential streamDropoutModel() {
        Rng rng = new Rng(3);
        return new Sequential(new Linear(8, 8, true, DataType.DOUBLE, rng), new Dropout(0.5, new Rng(11)),
                new Linear(8, 2, true, DataType.DOUBLE, rng));
    }

    @Test
    void recomputeReplaysStreamDropoutBitExactly() {
        Tensor x = TestModels.normal(DataType.DOUBLE, 1, 6, 8);
        Tensor y = TestModels.normal(DataType.DOUBLE, 2, 6, 2);
        Sequential always = streamDropoutModel();
        Dropout dropout = (Dropout) always.layers().get(1);
        List<INDArray> outputs = new ArrayList<>();
        dropout.registerForwardHook((m, in, out) -> outputs.add(StepMemory.outside(out.value()::dup)));
        Map<org.leantrain.core.tensor.Tensor, INDArray> gradsAlways = TestModels.gradSink();
        PipelineConfig cfg = new PipelineConfig(new int[] {2, 1}, 2, CheckpointMode.ALWAYS, Schedule.GPIPE, 1, 0, false);
        try (Pipeline pipe = Pipeline.of(always, cfg, p -> new TestModels.RecordingSgd(p, 0.1, gradsAlways))) {
            pipe.trainStep(x, y, LossFn.mse());
        }
        // GPipe stage 0 runs F0 F1 R1 B1 R0 B0: the re-runs must reproduce the forwards exactly
        assertEquals(4, outputs.size());
        assertEquals(outputs.get(0), outputs.get(3));
        assertEquals(outputs.get(1), outputs.get(2));

        Sequential never = streamDropoutModel();
        Map<org.leantrain.core.tensor.Tensor, INDArray> gradsNever = TestModels.gradSink();
        try (Pipeline pipe = Pipeline.of(never, cfg.withCheckpoint(CheckpointMode.NEVER),
                p -> new TestModels.RecordingSgd(p, 0.1, gradsNever))) {
            pipe.trainStep(x, y, LossFn.mse());
        }
        assertEquals(((Dropout) never.layers().get(1)).rng().state(), dropout.rng().state());
        assertEquals(0.0, TestModels.maxGradDiff(always, gradsAlways, never, gradsNever)[0]);
    }

    private static Sequential bnModel(DataType type) {
        return new Sequential(new DeferredBatchNorm(5, type), new Linear(5, 3, true, type, new Rng(4)),
                Sequential.lambda(Tensor::tanh));
    }

    @Test
    void deferredBatchNormRunningStatisticsEqualFullBatch() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tol = type == DataType.DOUBLE ? 1e-12 : 1e-6;
            Tensor x = Tensor.of(new Rng(8).normal(type, 2.0, 3.0, 12, 5));
            Tensor y = TestModels.normal(type, 9, 12, 3);
            Sequential model = bnModel(type);
            DeferredBatchNorm bn = (DeferredBatchNorm) model.layers().get(0);
            // ALWAYS re-runs every micro-batch: tracking during recompute would count each one twice
            PipelineConfig cfg = new PipelineConfig(new int[] {1, 2}, 4, CheckpointMode.ALWAYS, Schedule.GPIPE, 1, 0,
                    false);
            try (Pipeline pipe = Pipeline.of(model, cfg, p -> new TestModels.RecordingSgd(p, 0.1,
                    TestModels.gradSink()))) {
                pipe.trainStep(x, y, LossFn.mse());
            }
            INDArray full = x.value().castTo(DataType.DOUBLE);
            INDArray mean = full.mean(0).reshape(1, 5);
            INDArray var = full.var(true, 0).reshape(1, 5); // unbiased, as PyTorch's BatchNorm
            INDArray expectedMean = mean.mul(0.1);
            INDArray expectedVar = var.mul(0.1).addi(0.9);
            assertTrue(bn.runningMean().castTo(DataType.DOUBLE).equalsWithEps(expectedMean, tol), type + " mean");
            assertTrue(bn.runningVar().castTo(DataType.DOUBLE).equalsWithEps(expectedVar, tol), type + " var");
        }
    }

    @Test
    void recomputedForwardsDoNotTrack() {
        DeferredBatchNorm bn = new DeferredBatchNorm(5, DataType.DOUBLE);
        try (var recomputing = Recomputation.enter()) {
            bn.forward(TestModels.normal(DataType.DOUBLE, 1, 4, 5));
        }
        bn.commit();
        assertEquals(0.0, bn.runningMean().amaxNumber().doubleValue());
        assertEquals(1.0, bn.runningVar().meanNumber().doubleValue());
    }

    @Test
    void microBatchStatisticsChangeTrainingOutputs() {
        DeferredBatchNorm bn = new DeferredBatchNorm(5, DataType.DOUBLE);
        Tensor x = Tensor.of(new Rng(8).normal(DataType.DOUBLE, 2.0, 3.0, 12, 5));
        INDArray whole = bn.forward(x).value();
        INDArray firstQuarter = bn.forward(MicroBatcher.scatter(x, 4).get(0)).value();
        double diff = whole.get(NDArrayIndex.interval(0, 3)).sub(firstQuarter).amaxNumber().doubleValue();
        assertTrue(diff > 1e-3, "per-micro-batch statistics must differ from full-batch ones (GPipe limitation)");
    }

    @Test
    void deferredBatchNormRejectsSingleRowMicroBatches() {
        Sequential model = bnModel(DataType.DOUBLE);
        PipelineConfig cfg = new PipelineConfig(new int[] {1, 2}, 6, CheckpointMode.NEVER, Schedule.GPIPE, 1, 0, false);
        try (Pipeline pipe = Pipeline.of(model, cfg, p -> new TestModels.RecordingSgd(p, 0.1, TestModels.gradSink()))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pipe.trainStep(
                    TestModels.normal(DataType.DOUBLE, 1, 6, 5), TestModels.normal(DataType.DOUBLE, 1, 6, 3),
                    LossFn.mse()));
            assertTrue(e.getMessage().contains(">= 2 rows") && e.getMessage().contains("stage 0"), e.getMessage());
        }
    }
}
