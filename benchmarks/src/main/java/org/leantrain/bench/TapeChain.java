package org.leantrain.bench;

import org.leantrain.core.tensor.Nd;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A chain of 256×256 float32 elementwise ops, h ← tanh(h·w + b) eight times, once through recording tensors
 * (the tape builds its graph, which is then freed) and once as the same raw ND4J calls into fresh outputs. Both
 * run inside {@link StepMemory}, so that outputs come from recycled memory and the difference is the tape's own
 * bookkeeping, not the luck of native allocation.
 */
final class TapeChain {
    static final int SIZE = 256;
    static final int LINKS = 8;
    private final INDArray x;
    private final INDArray w;
    private final INDArray b;
    private final Tensor xt;
    private final Tensor wt;
    private final Tensor bt;

    TapeChain() {
        Rng rng = new Rng(1);
        x = rng.normal(DataType.FLOAT, 0, 1, SIZE, SIZE);
        w = rng.normal(DataType.FLOAT, 0, 1, SIZE, SIZE);
        b = rng.normal(DataType.FLOAT, 0, 1, SIZE, SIZE);
        xt = Tensor.of(x);
        wt = Tensor.parameter(w);
        bt = Tensor.parameter(b);
    }

    void tensors() {
        try (StepMemory ignored = StepMemory.open()) {
            Tensor h = xt;
            for (int i = 0; i < LINKS; i++) {
                h = h.mul(wt).add(bt).tanh();
            }
            h.releaseGraph();
        }
    }

    void raw() {
        try (StepMemory ignored = StepMemory.open()) {
            INDArray h = x;
            for (int i = 0; i < LINKS; i++) {
                INDArray m = Nd.empty(DataType.FLOAT, SIZE, SIZE);
                Nd4j.exec(new MulOp(h, w, m));
                INDArray a = Nd.empty(DataType.FLOAT, SIZE, SIZE);
                Nd4j.exec(new AddOp(m, b, a));
                h = Nd.empty(DataType.FLOAT, SIZE, SIZE);
                Nd4j.getExecutioner().exec(new Tanh(a, h));
            }
        }
    }
}
