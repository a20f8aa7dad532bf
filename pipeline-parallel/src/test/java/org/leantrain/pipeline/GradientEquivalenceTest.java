package org.leantrain.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Spec §6.7, torchgpipe's transparency test generalised: for every K, M, checkpoint mode and schedule, the loss, every
 * gradient and the parameters after one SGD and one AdamW step equal non-pipelined training in float64, with and
 * without KeyedDropout.
 */
class GradientEquivalenceTest {
    private static final int N = 12;
    private static final int[] STAGES = {1, 2, 3, 4};
    private static final int[] MICRO = {1, 2, 3, 4, 12};

    @Test
    void float64GradientsLossAndUpdatesMatchNonPipelined() {
        List<String> failures = new ArrayList<>();
        double worst = 0;
        for (double dropout : new double[] {0, 0.2}) {
            Reference ref = reference(dropout);
            for (int k : STAGES) {
                for (int m : MICRO) {
                    for (CheckpointMode mode : CheckpointMode.values()) {
                        for (Schedule schedule : Schedule.values()) {
                            PipelineConfig cfg = new PipelineConfig(even(k, ref.sgdModel.layers().size()), m, mode,
                                    schedule, 1, 0, true);
                            double rel = compare(cfg, dropout, ref);
                            worst = Math.max(worst, rel);
                            if (!(rel <= 1e-12)) {
                                failures.add(cfg + " dropout=" + dropout + ": relative error " + rel);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), "worst " + worst + "; " + failures.size() + " failing, e.g. "
                + failures.subList(0, Math.min(3, failures.size())));
    }

    /** Largest relative difference (loss, gradients, params after SGD, params after AdamW) against the reference. */
    private static double compare(PipelineConfig cfg, double dropout, Reference ref) {
        Sequential sgdModel = TestModels.equivalenceMlp(dropout);
        Map<Tensor, INDArray> grads = TestModels.gradSink();
        double loss;
        try (Pipeline pipe = Pipeline.of(sgdModel, cfg, p -> new TestModels.RecordingSgd(p, 0.1, grads))) {
            loss = pipe.trainStep(ref.x, ref.y, LossFn.mse()).loss();
        }
        double[] g = TestModels.maxGradDiff(sgdModel, grads, ref.sgdModel, ref.grads);
        double scale = Math.max(1, g[1]);
        double worst = Math.abs(loss - ref.loss) / Math.max(1, Math.abs(ref.loss));
        worst = Math.max(worst, g[0] / scale);
        worst = Math.max(worst, TestModels.maxParameterDiff(sgdModel, ref.sgdModel) / scale);

        Sequential adamModel = TestModels.equivalenceMlp(dropout);
        try (Pipeline pipe = Pipeline.of(adamModel, cfg, p -> Adam.adamW(p, 1e-2, 0.01))) {
            pipe.trainStep(ref.x, ref.y, LossFn.mse());
        }
        return Math.max(worst, TestModels.maxParameterDiff(adamModel, ref.adamModel));
    }

    private record Reference(Tensor x, Tensor y, double loss, Sequential sgdModel, Map<Tensor, INDArray> grads,
                             Sequential adamModel) {}

    private static Reference reference(double dropout) {
        Tensor x = TestModels.normal(DataType.DOUBLE, 1, N, 16);
        Tensor y = TestModels.normal(DataType.DOUBLE, 2, N, 4);
        Sequential sgdModel = TestModels.equivalenceMlp(dropout);
        Map<Tensor, INDArray> grads = TestModels.gradSink();
        double loss = NonPipelinedTrainer.fullBatch(sgdModel, p -> new TestModels.RecordingSgd(p, 0.1, grads), 1)
                .trainStep(x, y, LossFn.mse());
        Sequential adamModel = TestModels.equivalenceMlp(dropout);
        NonPipelinedTrainer.fullBatch(adamModel, p -> Adam.adamW(p, 1e-2, 0.01), 1).trainStep(x, y, LossFn.mse());
        return new Reference(x, y, loss, sgdModel, grads, adamModel);
    }

    /** A balance of {@code layers} into {@code k} stages, sizes differing by at most one. */
    static int[] even(int k, int layers) {
        return MicroBatcher.sizes(layers, k);
    }
}
