package org.leantrain.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Custom functions and re-materialisation: same gradients as the plain graph, less saved memory. */
class CheckpointTest {
    private static final int LAYERS = 16;
    private static final int WIDTH = 32;
    private static final int BATCH = 8;

    private final List<Tensor> weights = new ArrayList<>();
    private Rng dropoutRng;
    private INDArray input;

    @BeforeEach
    void build() {
        Rng init = new Rng(11);
        for (int i = 0; i < LAYERS; i++) {
            weights.add(Tensor.parameter(init.normal(DataType.DOUBLE, 0, 1.0 / Math.sqrt(WIDTH), WIDTH, WIDTH)));
        }
        input = init.normal(DataType.DOUBLE, 0, 1, BATCH, WIDTH);
        dropoutRng = new Rng(5);
        Memory.reset();
    }

    /** Layer i: tanh(h·W_i) with a dropout mask drawn from the shared RNG. */
    private Tensor layer(int i, Tensor h) {
        INDArray keep = dropoutRng.bernoulli(DataType.DOUBLE, 0.8, BATCH, WIDTH).divi(0.8);
        return h.matmul(weights.get(i)).tanh().mul(Tensor.of(keep));
    }

    private Tensor segment(int from, int to, Tensor h) {
        for (int i = from; i < to; i++) {
            h = layer(i, h);
        }
        return h;
    }

    private INDArray[] gradients(int checkpointEvery) {
        for (Tensor w : weights) {
            w.zeroGrad();
        }
        dropoutRng.restore(5);
        Memory.reset();
        Tensor h = Tensor.of(input);
        for (int start = 0; start < LAYERS; start += checkpointEvery) {
            int from = start;
            int to = Math.min(LAYERS, start + checkpointEvery);
            List<Tensor> params = weights.subList(from, to);
            h = checkpointEvery == LAYERS + 1 ? segment(from, to, h)
                    : Checkpoint.apply(t -> segment(from, to, t), h, params, dropoutRng);
        }
        h.square().sum().backward();
        INDArray[] grads = new INDArray[LAYERS];
        for (int i = 0; i < LAYERS; i++) {
            grads[i] = weights.get(i).grad().dup();
        }
        return grads;
    }

    @Test
    void checkpointedGradientsEqualPlainOnesWithDropoutReplayed() {
        INDArray[] plain = gradients(LAYERS + 1);
        long plainPeak = Memory.peakSavedBytes();
        INDArray[] every4 = gradients(4);
        long checkpointPeak = Memory.peakSavedBytes();
        for (int i = 0; i < LAYERS; i++) {
            assertEquals(0, plain[i].sub(every4[i]).amaxNumber().doubleValue(), 1e-12, "layer " + i);
        }
        // plain keeps per layer its input h (for dW), the tanh output and the dropout mask, 3 arrays of
        // BATCH×WIDTH, plus the final h for the loss: 3·16 + 1 (weights are parameters and do not count)
        long activation = (long) BATCH * WIDTH * 8;
        assertEquals((3 * LAYERS + 1) * activation, plainPeak);
        // checkpointed: the 4 segment inputs, plus one segment re-run (3·4 arrays, its input already counted);
        // the loss's saved h is freed before the last segment is re-run
        assertEquals((4 + 3 * 4 - 1) * activation, checkpointPeak);
        assertTrue(checkpointPeak < plainPeak / 3.0);
    }

    @Test
    void checkpointReachesParametersWhenTheInputNeedsNoGradient() {
        INDArray[] grads = gradients(8);
        for (INDArray g : grads) {
            assertTrue(g.amaxNumber().doubleValue() > 0);
        }
    }

    @Test
    void checkpointGradientsPassGradCheck() {
        Tensor w = Tensor.parameter(new Rng(2).normal(DataType.DOUBLE, 0, 1, 3, 3));
        GradCheck.standard().check(in -> Checkpoint.apply(t -> t.matmul(w).tanh().matmul(in[1]), in[0],
                List.of(in[1])), new Rng(3).normal(DataType.DOUBLE, 0, 1, 2, 3),
                new Rng(4).normal(DataType.DOUBLE, 0, 1, 3, 2));
    }

    @Test
    void multiOutputFunctionGetsZerosForUnusedOutputs() {
        Function splitHalves = new Function() {
            @Override
            protected INDArray[] forward(Context ctx, INDArray... inputs) {
                return new INDArray[] {inputs[0].mul(2), inputs[0].mul(3)};
            }

            @Override
            protected INDArray[] backward(Context ctx, INDArray... g) {
                return new INDArray[] {g[0].mul(2).add(g[1].mul(3))};
            }
        };
        Tensor x = Tensor.parameter(new Rng(1).normal(DataType.DOUBLE, 0, 1, 4));
        Tensor[] outs = splitHalves.apply(x);
        outs[1].sum().backward(); // only the second output is used
        assertEquals(0, x.grad().sub(3).amaxNumber().doubleValue(), 0);
    }
}
