package org.leantrain.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.optim.Optimizer;
import org.leantrain.core.optim.Sgd;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Spec §6.13 (a failing stage) and the bad inputs of §9. */
class FailureAndBadInputTest {
    private static final Function<List<Tensor>, Optimizer> SGD = p -> new Sgd(p, 0.1, 0);

    /** Throws on its third forward call, i.e. micro-batch 2 of the first GPipe step. */
    private static final class ThrowOnThirdCall extends Module {
        private int calls;

        @Override
        protected Tensor compute(Tensor x) {
            if (calls++ == 2) {
                throw new IllegalStateException("boom");
            }
            return x;
        }
    }

    @Test
    void aThrowingStageStopsThePipelineWithoutUpdating() {
        Rng rng = new Rng(1);
        Sequential model = new Sequential(new Linear(4, 4, true, DataType.DOUBLE, rng), Sequential.lambda(Tensor::tanh),
                new ThrowOnThirdCall(), new Linear(4, 2, true, DataType.DOUBLE, rng));
        List<double[]> before = model.parameters().stream().map(p -> p.value().dup().data().asDouble()).toList();
        Pipeline pipe = Pipeline.of(model, new PipelineConfig(new int[] {2, 2}, 4, CheckpointMode.ALWAYS,
                Schedule.GPIPE, 1, 0, false), SGD);
        PipelineException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(
                PipelineException.class, () -> pipe.trainStep(TestModels.normal(DataType.DOUBLE, 1, 8, 4),
                        TestModels.normal(DataType.DOUBLE, 2, 8, 2), LossFn.mse())));
        assertEquals(1, e.stage());
        assertEquals(2, e.microBatch());
        assertEquals(Op.Kind.FORWARD, e.op());
        assertEquals("boom", e.getCause().getMessage());
        List<Tensor> after = model.parameters();
        for (int i = 0; i < after.size(); i++) {
            assertTrue(java.util.Arrays.equals(before.get(i), after.get(i).value().data().asDouble()),
                    "parameter " + i + " changed");
            assertEquals(null, after.get(i).grad(), "gradients of the failed step must be discarded");
        }
        // the pipeline stays usable, and closing it ends its threads
        pipe.trainStep(TestModels.normal(DataType.DOUBLE, 1, 8, 4), TestModels.normal(DataType.DOUBLE, 2, 8, 2),
                LossFn.mse());
        pipe.close();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            while (Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().startsWith("pipeline-stage-") && t.isAlive())) {
                Thread.sleep(20);
            }
        });
        assertThrows(IllegalStateException.class, () -> pipe.trainStep(Tensor.ones(DataType.DOUBLE, 8, 4),
                Tensor.ones(DataType.DOUBLE, 8, 2), LossFn.mse()));
    }

    @Test
    void aNonFiniteLossAbortsBeforeAnyUpdate() {
        Sequential model = TestModels.mlp(2, 4, 2, 0, DataType.DOUBLE, 3);
        double[] before = model.parameters().get(0).value().dup().data().asDouble();
        try (Pipeline pipe = Pipeline.of(model, new PipelineConfig(new int[] {3, 2}, 2, CheckpointMode.NEVER,
                Schedule.ONE_F_ONE_B, 1, 0, false), SGD)) {
            Tensor x = TestModels.normal(DataType.DOUBLE, 1, 4, 4);
            x.value().putScalar(3, 1, Double.NaN);
            ArithmeticException e = assertThrows(ArithmeticException.class,
                    () -> pipe.trainStep(x, TestModels.normal(DataType.DOUBLE, 2, 4, 2), LossFn.mse()));
            assertTrue(e.getMessage().contains("micro-batch 1"), e.getMessage());
        }
        assertTrue(java.util.Arrays.equals(before, model.parameters().get(0).value().data().asDouble()));
    }

    @Test
    void configurationErrorsNameTheProblem() {
        assertMessage("balance[1] = 0", () -> new PipelineConfig(new int[] {2, 0}, 1, CheckpointMode.NEVER,
                Schedule.GPIPE, 1, 0, false));
        assertMessage("microBatches must be >= 1", () -> PipelineConfig.gpipe(new int[] {2}, 0));
        assertMessage("threadsPerStage must be >= 1", () -> PipelineConfig.gpipe(new int[] {2}, 1)
                .withThreadsPerStage(0));
        assertMessage("clipNorm", () -> PipelineConfig.gpipe(new int[] {2}, 1).withClipNorm(-1));
        Sequential model = TestModels.mlp(1, 4, 2, 0, DataType.DOUBLE, 1); // 3 layers
        assertMessage("only 3 layers", () -> Pipeline.of(model, PipelineConfig.gpipe(new int[] {1, 1, 1, 1}, 1), SGD));
        assertMessage("sums to 2 layers", () -> Pipeline.of(model, PipelineConfig.gpipe(new int[] {1, 1}, 1), SGD));
        assertMessage("needs a Sequential", () -> Pipeline.of(new Linear(2, 2, new Rng(1)),
                PipelineConfig.gpipe(new int[] {1}, 1), SGD));
        Module shared = new Linear(4, 4, true, DataType.DOUBLE, new Rng(1));
        assertMessage("same Linear instance", () -> Pipeline.of(new Sequential(shared, shared),
                PipelineConfig.gpipe(new int[] {1, 1}, 1), SGD));
    }

    /** Two modules holding the same weight tensor (tied weights). */
    private static final class Tied extends Module {
        private final Tensor w;

        Tied(Tensor w) {
            this.w = parameter("w", w);
        }

        @Override
        protected Tensor compute(Tensor x) {
            return x.matmul(w);
        }
    }

    @Test
    void tiedWeightsAcrossStagesAreRejected() {
        Tensor w = Tensor.parameter(org.nd4j.linalg.factory.Nd4j.eye(3).castTo(DataType.DOUBLE));
        Sequential model = new Sequential(new Tied(w), new Tied(w));
        assertMessage("shared by stages 0 and 1", () -> Pipeline.of(model, PipelineConfig.gpipe(new int[] {1, 1}, 1),
                SGD));
        Pipeline.of(model, PipelineConfig.gpipe(new int[] {2}, 1), SGD).close(); // within one stage it is fine
    }

    @Test
    void stepInputsAreChecked() {
        Sequential model = TestModels.mlp(1, 4, 2, 0, DataType.DOUBLE, 1);
        try (Pipeline pipe = Pipeline.of(model, PipelineConfig.gpipe(new int[] {2, 1}, 4).withInputCheck(true), SGD)) {
            assertMessage("use M <= N", () -> pipe.trainStep(Tensor.ones(DataType.DOUBLE, 3, 4),
                    Tensor.ones(DataType.DOUBLE, 3, 2), LossFn.mse()));
            assertMessage("input has 8 rows but target has 7", () -> pipe.trainStep(Tensor.ones(DataType.DOUBLE, 8, 4),
                    Tensor.ones(DataType.DOUBLE, 7, 2), LossFn.mse()));
            Tensor nan = Tensor.ones(DataType.DOUBLE, 8, 4);
            nan.value().putScalar(0, 0, Double.POSITIVE_INFINITY);
            assertMessage("NaN or Inf", () -> pipe.trainStep(nan, Tensor.ones(DataType.DOUBLE, 8, 2), LossFn.mse()));
            assertMessage("expects inputs whose last dimension is 4", () -> pipe.trainStep(
                    Tensor.ones(DataType.DOUBLE, 8, 5), Tensor.ones(DataType.DOUBLE, 8, 2), LossFn.mse()));
        }
    }

    @Test
    void overlappingStepsAreRefused() throws Exception {
        Sequential model = new Sequential(new BusyLayer(300_000_000L, 0, DataType.DOUBLE));
        try (Pipeline pipe = Pipeline.of(model, PipelineConfig.gpipe(new int[] {1}, 1), SGD)) {
            Tensor x = Tensor.ones(DataType.DOUBLE, 2, 2);
            CompletableFuture<StepResult> first = CompletableFuture.supplyAsync(
                    () -> pipe.trainStep(x, x, LossFn.mse()));
            Thread.sleep(100);
            assertMessage("already running", () -> pipe.trainStep(x, x, LossFn.mse()));
            assertFalse(Double.isNaN(first.get().loss()));
        }
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        RuntimeException e = assertThrows(RuntimeException.class, call);
        assertTrue(e instanceof IllegalArgumentException || e instanceof IllegalStateException,
                "expected IllegalArgument/IllegalState, got " + e);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
