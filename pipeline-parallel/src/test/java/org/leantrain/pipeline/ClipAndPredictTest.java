package org.leantrain.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.optim.Sgd;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/** Global gradient clipping across stages and pipelined inference, against the non-pipelined computation. */
class ClipAndPredictTest {
    private static final Tensor X = TestModels.normal(DataType.DOUBLE, 1, 9, 8);
    private static final Tensor Y = TestModels.normal(DataType.DOUBLE, 2, 9, 3);

    private static Sequential model() {
        return TestModels.mlp(3, 8, 3, 0.3, DataType.DOUBLE, 5);
    }

    @Test
    void clippingUsesTheGlobalNormOverAllStages() {
        Sequential reference = model();
        new NonPipelinedTrainer(reference, p -> new Sgd(p, 0.5, 0), 1, 1, 0.05).trainStep(X, Y, LossFn.mse());
        Sequential pipelined = model();
        PipelineConfig cfg = new PipelineConfig(new int[] {3, 4, 3}, 4, CheckpointMode.EXCEPT_LAST,
                Schedule.ONE_F_ONE_B, 1, 0.05, false);
        try (Pipeline pipe = Pipeline.of(pipelined, cfg, p -> new Sgd(p, 0.5, 0))) {
            pipe.trainStep(X, Y, LossFn.mse());
        }
        List<Tensor> a = reference.parameters();
        List<Tensor> b = pipelined.parameters();
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            worst = Math.max(worst, a.get(i).value().sub(b.get(i).value()).amaxNumber().doubleValue());
        }
        assertTrue(worst <= 1e-14, "clipped update differs by " + worst);
        // the clip is active: an unclipped step moves the parameters further
        Sequential unclipped = model();
        NonPipelinedTrainer.fullBatch(unclipped, p -> new Sgd(p, 0.5, 0), 1).trainStep(X, Y, LossFn.mse());
        assertTrue(unclipped.parameters().get(0).value().sub(a.get(0).value()).amaxNumber().doubleValue() > 1e-6);
    }

    @Test
    void predictEqualsTheModelInEvalMode() {
        Sequential model = model();
        Tensor expected;
        model.eval();
        try (GradMode.Scope noGrad = GradMode.noGrad()) {
            expected = model.forward(X);
        }
        model.train(true);
        try (Pipeline pipe = Pipeline.of(model, PipelineConfig.gpipe(new int[] {4, 6}, 4), p -> new Sgd(p, 0.1, 0))) {
            Tensor predicted = pipe.predict(X);
            assertEquals(expected.value(), predicted.value());
        }
        assertTrue(model.isTraining(), "predict must restore training mode");
    }

    /** Identity in forward; its backward returns NaN (a finite loss with a non-finite gradient). */
    private static final class NaNBackward extends org.leantrain.core.nn.Module {
        @Override
        protected Tensor compute(Tensor x) {
            return new org.leantrain.core.tensor.Function() {
                @Override
                protected org.nd4j.linalg.api.ndarray.INDArray[] forward(Context ctx,
                                                                         org.nd4j.linalg.api.ndarray.INDArray... in) {
                    return new org.nd4j.linalg.api.ndarray.INDArray[] {in[0].dup()};
                }

                @Override
                protected org.nd4j.linalg.api.ndarray.INDArray[] backward(Context ctx,
                                                                          org.nd4j.linalg.api.ndarray.INDArray... g) {
                    return new org.nd4j.linalg.api.ndarray.INDArray[] {org.nd4j.linalg.factory.Nd4j.valueArrayOf(g[0].shape(), Double.NaN, g[0].dataType())};
                }
            }.apply(x)[0];
        }
    }

    @Test
    void aNonFiniteGradientNormAbortsTheStep() {
        Sequential model = model();
        model.add(new NaNBackward());
        List<double[]> before = model.parameters().stream().map(p -> p.value().dup().data().asDouble()).toList();
        PipelineConfig cfg = PipelineConfig.gpipe(new int[] {5, 6}, 3).withClipNorm(1.0);
        try (Pipeline pipe = Pipeline.of(model, cfg, p -> new Sgd(p, 0.1, 0))) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> pipe.trainStep(X, Y, LossFn.mse()));
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        }
        List<Tensor> after = model.parameters();
        for (int i = 0; i < after.size(); i++) {
            assertTrue(java.util.Arrays.equals(before.get(i), after.get(i).value().data().asDouble()));
            assertEquals(null, after.get(i).grad(), "gradients must be discarded");
        }
    }
}
