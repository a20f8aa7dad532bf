package org.leantrain.pipeline;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.optim.Optimizer;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Models and helpers shared by the pipeline tests. */
final class TestModels {
    private TestModels() {}

    /** depth × (Linear width→width + Tanh [+ KeyedDropout]) + Linear width→out; the same seed gives the same weights. */
    static Sequential mlp(int depth, int width, int out, double dropout, DataType type, long seed) {
        Rng rng = new Rng(seed);
        Sequential model = new Sequential();
        for (int i = 0; i < depth; i++) {
            model.add(new Linear(width, width, true, type, rng));
            model.add(Sequential.lambda(Tensor::tanh));
            if (dropout > 0) {
                model.add(new KeyedDropout(dropout, 99, model.layers().size()));
            }
        }
        model.add(new Linear(width, out, true, type, rng));
        return model;
    }

    static Tensor normal(DataType type, long seed, long... shape) {
        return Tensor.of(new Rng(seed).normal(type, 0, 1, shape));
    }

    /** Plain SGD (p ← p − lr·g) that also keeps a copy of every gradient it applied, by parameter identity. */
    static final class RecordingSgd extends Optimizer {
        final Map<Tensor, INDArray> grads;

        RecordingSgd(List<Tensor> parameters, double lr, Map<Tensor, INDArray> grads) {
            super(parameters, lr);
            this.grads = grads;
        }

        @Override
        protected void update(int index, Tensor parameter, INDArray grad) {
            synchronized (grads) {
                grads.put(parameter, org.leantrain.core.tensor.StepMemory.outside(grad::dup));
            }
            parameter.value().subi(grad.mul(learningRate()));
        }
    }

    static Map<Tensor, INDArray> gradSink() {
        return new IdentityHashMap<>();
    }

    /** max |g_a − g_b| over matching parameters, and the largest |g| seen, as {diff, scale}. */
    static double[] maxGradDiff(Module a, Map<Tensor, INDArray> ga, Module b, Map<Tensor, INDArray> gb) {
        List<Tensor> pa = a.parameters();
        List<Tensor> pb = b.parameters();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < pa.size(); i++) {
            INDArray x = ga.get(pa.get(i));
            INDArray y = gb.get(pb.get(i));
            if (x == null || y == null) {
                throw new AssertionError("no gradient recorded for parameter " + i);
            }
            diff = Math.max(diff, x.sub(y).amaxNumber().doubleValue());
            scale = Math.max(scale, y.amaxNumber().doubleValue());
        }
        return new double[] {diff, scale};
    }
}
