package org.leantrain.pipeline.experiments;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.optim.Optimizer;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.leantrain.pipeline.CheckpointMode;
import org.leantrain.pipeline.KeyedDropout;
import org.leantrain.pipeline.LossFn;
import org.leantrain.pipeline.MicroBatcher;
import org.leantrain.pipeline.NonPipelinedTrainer;
import org.leantrain.pipeline.Pipeline;
import org.leantrain.pipeline.PipelineConfig;
import org.leantrain.pipeline.Schedule;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The transparency check of spec §6.7: one pipelined step against one non-pipelined step of the same model
 * (6 × (Linear 16→16 + Tanh [+ KeyedDropout]) + Linear 16→4, MSE, N = 12): loss, every gradient, and the parameters
 * after one SGD and one AdamW step. Returns the largest difference relative to max(1, max|g|) (loss: max(1, |𝓛|)).
 */
public final class Equivalence {
    public static final int BATCH = 12;

    private final double dropout;
    private final DataType type;
    private final Tensor x;
    private final Tensor y;
    private final Run reference;
    private final Sequential adamReference;

    public Equivalence(double dropout, DataType type) {
        this.dropout = dropout;
        this.type = type;
        this.x = Tensor.of(new Rng(1).normal(type, 0, 1, BATCH, 16));
        this.y = Tensor.of(new Rng(2).normal(type, 0, 1, BATCH, 4));
        Sequential sgdModel = model();
        Map<Tensor, INDArray> grads = new IdentityHashMap<>();
        double loss = NonPipelinedTrainer.fullBatch(sgdModel, p -> new RecordingSgd(p, grads), 1)
                .trainStep(x, y, LossFn.mse());
        this.reference = new Run(loss, sgdModel, grads);
        this.adamReference = model();
        NonPipelinedTrainer.fullBatch(adamReference, Equivalence::adamW, 1).trainStep(x, y, LossFn.mse());
    }

    /** The model; the same seed always gives the same weights. */
    public Sequential model() {
        Rng rng = new Rng(7);
        Sequential model = new Sequential();
        for (int i = 0; i < 6; i++) {
            model.add(new Linear(16, 16, true, type, rng));
            model.add(Sequential.lambda(Tensor::tanh));
            if (dropout > 0) {
                model.add(new KeyedDropout(dropout, 99, model.layers().size()));
            }
        }
        model.add(new Linear(16, 4, true, type, rng));
        return model;
    }

    /** Worst relative difference of a K-stage pipeline (evenly balanced) against the reference. */
    public double worstRelativeDifference(int stages, int micro, CheckpointMode mode, Schedule schedule) {
        int layers = reference.model.layers().size();
        PipelineConfig cfg = new PipelineConfig(MicroBatcher.sizes(layers, stages), micro, mode, schedule, 1, 0, true);
        Sequential sgdModel = model();
        Map<Tensor, INDArray> grads = new IdentityHashMap<>();
        double loss;
        try (Pipeline pipe = Pipeline.of(sgdModel, cfg, p -> new RecordingSgd(p, grads))) {
            loss = pipe.trainStep(x, y, LossFn.mse()).loss();
        }
        double scale = 1;
        double gradDiff = 0;
        List<Tensor> mine = sgdModel.parameters();
        List<Tensor> theirs = reference.model.parameters();
        for (int i = 0; i < mine.size(); i++) {
            INDArray g = reference.grads.get(theirs.get(i));
            scale = Math.max(scale, g.amaxNumber().doubleValue());
            gradDiff = Math.max(gradDiff, maxAbsDiff(grads.get(mine.get(i)), g));
        }
        double worst = Math.abs(loss - reference.loss) / Math.max(1, Math.abs(reference.loss));
        worst = Math.max(worst, gradDiff / scale);
        worst = Math.max(worst, maxParameterDiff(sgdModel, reference.model) / scale);
        Sequential adamModel = model();
        try (Pipeline pipe = Pipeline.of(adamModel, cfg, Equivalence::adamW)) {
            pipe.trainStep(x, y, LossFn.mse());
        }
        return Math.max(worst, maxParameterDiff(adamModel, adamReference) / scale);
    }

    private static Optimizer adamW(List<Tensor> parameters) {
        return Adam.adamW(parameters, 1e-2, 0.01);
    }

    private static double maxParameterDiff(Module a, Module b) {
        List<Tensor> pa = a.parameters();
        List<Tensor> pb = b.parameters();
        double max = 0;
        for (int i = 0; i < pa.size(); i++) {
            max = Math.max(max, maxAbsDiff(pa.get(i).value(), pb.get(i).value()));
        }
        return max;
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        if (a == null || b == null) {
            return Double.POSITIVE_INFINITY; // a missing gradient is a failure, never a pass
        }
        return a.sub(b).amaxNumber().doubleValue();
    }

    private record Run(double loss, Sequential model, Map<Tensor, INDArray> grads) {}

    /** Plain SGD, p ← p − 0.1·g, keeping a copy of every gradient it applies. */
    private static final class RecordingSgd extends Optimizer {
        private final Map<Tensor, INDArray> grads;

        RecordingSgd(List<Tensor> parameters, Map<Tensor, INDArray> grads) {
            super(parameters, 0.1);
            this.grads = grads;
        }

        @Override
        protected void update(int index, Tensor parameter, INDArray grad) {
            synchronized (grads) {
                grads.put(parameter, StepMemory.outside(grad::dup));
            }
            parameter.value().subi(grad.mul(learningRate()));
        }
    }
}
