package org.leantrain.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Semantics of the tape: accumulation, grad(), no-grad scopes, detach, errors, memory accounting. */
class AutogradTest {
    private final Rng rng = new Rng(3);

    @BeforeEach
    void resetMemory() {
        Memory.reset();
    }

    private Tensor param(long... shape) {
        return Tensor.parameter(rng.normal(DataType.DOUBLE, 0, 1, shape));
    }

    private static void assertArrayClose(INDArray expected, INDArray actual, double tol) {
        assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), tol);
    }

    @Test
    void indexSelectGradientCountsEveryRepeatedRow() {
        // 200,000 lookups of 11 rows: libnd4j's unlocked parallel scatter_add lost updates here on 2 threads
        int[] rows = new int[200_000];
        double[] expected = new double[11];
        Rng rng = new Rng(1);
        for (int i = 0; i < rows.length; i++) {
            rows[i] = rng.nextInt(11);
            expected[rows[i]]++;
        }
        Tensor table = Tensor.parameter(Nd4j.zeros(DataType.FLOAT, 11, 16));
        for (int repeat = 0; repeat < 3; repeat++) {
            INDArray g = Autograd.grad(table.indexSelect(rows).sum(), table)[0];
            for (int r = 0; r < 11; r++) {
                assertEquals(expected[r], g.getDouble(r, 0), 0.5, "row " + r);
                assertEquals(expected[r], g.getDouble(r, 15), 0.5, "row " + r);
            }
        }
    }

    @Test
    void aSummedGradientPassedOnByAnAddIsNotChangedByLaterFanIn() {
        // A two-step (midpoint) recurrence p_{l+1} = p_{l-1} + f(p_l) over pre-norm attention + MLP increments:
        // summed gradients are handed on unchanged (adds, reshapes) while more contributions still arrive. Adding
        // those into the handed-on sum in place once corrupted dL/dx.
        org.leantrain.core.util.Rng rng = new Rng(5);
        org.leantrain.core.nn.LayerNorm norm = new org.leantrain.core.nn.LayerNorm(4, DataType.DOUBLE);
        org.leantrain.core.nn.MultiHeadSelfAttention attention =
                new org.leantrain.core.nn.MultiHeadSelfAttention(4, 2, true, DataType.DOUBLE, rng);
        org.leantrain.core.nn.Linear mlp = new org.leantrain.core.nn.Linear(4, 4, true, DataType.DOUBLE, rng);
        java.util.function.UnaryOperator<Tensor> f = p -> {
            Tensor a = attention.forward(norm.forward(p));
            return a.add(mlp.forward(p.add(a)).tanh());
        };
        GradCheck.standard().check(in -> {
            Tensor e = in[0].mul(2); // an op output, not a leaf
            Tensor prev = e;
            Tensor cur = e;
            for (int l = 0; l < 3; l++) {
                Tensor next = prev.add(f.apply(cur));
                prev = cur;
                cur = next;
            }
            return cur.square().sum();
        }, rng.normal(DataType.DOUBLE, 0, 1, 2, 3, 4));
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor w = param(3);
        w.mul(2.0).sum().backward();
        w.mul(3.0).sum().backward();
        assertArrayClose(Nd4j.valueArrayOf(new long[] {3}, 5.0, DataType.DOUBLE), w.grad(), 0);
        w.zeroGrad();
        assertNull(w.grad());
    }

    @Test
    void matmulWeightGradientsAccumulateInPlaceExactly() {
        // the weight gradient of a product is added into w.grad() by one gemm with beta = 1: it must equal the sum
        // of the gradients computed separately, across calls and when w is used twice in one graph
        Tensor w = param(3, 2);
        INDArray x1 = rng.normal(DataType.DOUBLE, 0, 1, 4, 3);
        INDArray x2 = rng.normal(DataType.DOUBLE, 0, 1, 5, 3);
        INDArray g1 = Autograd.grad(Tensor.of(x1).matmul(w).tanh().sum(), w)[0];
        INDArray g2 = Autograd.grad(Tensor.of(x2).matmul(w).square().sum(), w)[0];
        assertNull(w.grad());
        Tensor.of(x1).matmul(w).tanh().sum().backward();
        Tensor.of(x2).matmul(w).square().sum().backward();
        assertArrayClose(g1.add(g2), w.grad(), 1e-12);
        w.zeroGrad();
        Tensor.of(x1).matmul(w).tanh().sum().add(Tensor.of(x2).matmul(w).square().sum()).backward();
        assertArrayClose(g1.add(g2), w.grad(), 1e-12);
    }

    @Test
    void fanOutSumsGradients() {
        Tensor x = param(2, 2);
        Tensor y = x.mul(3.0);
        y.add(y).add(y.mul(y)).sum().backward(); // d/dx (2·3x + 9x²) = 6 + 18x
        assertArrayClose(x.value().mul(18).add(6), x.grad(), 1e-12);
    }

    @Test
    void gradLeavesParameterGradsUntouchedAndSkipsUnneededBranches() {
        Tensor x = param(4, 3);
        Tensor w = param(3, 2);
        CountingIdentity counter = new CountingIdentity();
        Tensor unrelated = counter.apply1(w).sum();
        Tensor energy = x.matmul(w).tanh().sum().add(unrelated);
        INDArray[] dx = Autograd.grad(energy, x);
        assertNull(w.grad());
        assertNull(x.grad());
        assertEquals(0, counter.backwardCalls, "the branch not leading to x must not run its backward");
        Tensor again = Tensor.parameter(x.value());
        again.matmul(Tensor.of(w.value())).tanh().sum().backward();
        assertArrayClose(again.grad(), dx[0], 1e-12);
    }

    @Test
    void gradWithRespectToAnIntermediateTensor() {
        Tensor x = param(3);
        Tensor h = x.mul(2.0);
        Tensor out = h.square().sum();
        INDArray[] g = Autograd.grad(out, h, x);
        assertArrayClose(h.value().mul(2), g[0], 1e-12);
        assertArrayClose(h.value().mul(4), g[1], 1e-12);
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = param(5, 5);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor y = x.tanh().mul(x);
            assertFalse(y.requiresGrad());
            assertEquals(0, Memory.savedBytes());
        }
        assertTrue(GradMode.isEnabled());
        assertTrue(x.tanh().requiresGrad());
    }

    @Test
    void detachStopsGradient() {
        Tensor x = param(3);
        Tensor y = x.mul(x.detach()).sum(); // d/dx x·c = c
        y.backward();
        assertArrayClose(x.value(), x.grad(), 0);
    }

    @Test
    void shapeMismatchNamesOpAndBothShapes() {
        Tensor a = param(2, 3);
        Tensor b = param(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[4, 3]"), e.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertTrue(m.getMessage().contains("matmul") && m.getMessage().contains("[2, 3]")
                && m.getMessage().contains("[4, 3]"), m.getMessage());
    }

    @Test
    void backwardOnNonScalarNeedsSeed() {
        Tensor y = param(2, 2).tanh();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("scalar") && e.getMessage().contains("[2, 2]"), e.getMessage());
        y.backward(Nd4j.ones(DataType.DOUBLE, 2, 2)); // with a seed it works
    }

    @Test
    void secondBackwardThroughFreedGraphFails() {
        Tensor x = param(2);
        Tensor y = x.exp().sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
        Tensor z = x.exp().sum();
        z.backward(null, true);
        z.backward(null, true); // retained: allowed, accumulates
    }

    @Test
    void mixedDataTypesAreRefused() {
        Tensor a = Tensor.parameter(Nd4j.ones(DataType.FLOAT, 2));
        Tensor b = Tensor.parameter(Nd4j.ones(DataType.DOUBLE, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.mul(b));
        assertTrue(e.getMessage().contains("FLOAT") && e.getMessage().contains("DOUBLE"), e.getMessage());
    }

    @Test
    void nanInBackwardIsReportedForTheLeafAndForTheOpUnderAnomalyDetection() {
        Tensor x = Tensor.parameter(Nd4j.createFromArray(0.0, 1.0)).named("x");
        ArithmeticException leaf = assertThrows(ArithmeticException.class, () -> x.sqrt().mul(0.0).sum().backward());
        assertTrue(leaf.getMessage().contains("'x'"), leaf.getMessage());
        try (GradMode.Scope ignored = GradMode.detectAnomaly()) {
            ArithmeticException op = assertThrows(ArithmeticException.class, () -> x.sqrt().sum().backward());
            assertTrue(op.getMessage().contains("'sqrt'"), op.getMessage());
        }
    }

    @Test
    void savedBytesAreExactAndReleasedByBackward() {
        Tensor x = Tensor.parameter(Nd4j.ones(DataType.FLOAT, 10, 20));
        Tensor y = x.tanh(); // keeps its output: 200 floats
        assertEquals(800, Memory.savedBytes());
        Tensor z = y.mul(y); // keeps y once, though used on both sides
        assertEquals(800, Memory.savedBytes());
        Tensor c = z.mul(Tensor.of(Nd4j.ones(DataType.FLOAT, 10, 20))); // keeps the constant only
        assertEquals(1600, Memory.savedBytes());
        c.sum().backward();
        assertEquals(0, Memory.savedBytes());
        assertEquals(1600, Memory.peakSavedBytes());
        Memory.resetPeak();
        assertEquals(0, Memory.peakSavedBytes());
    }

    @Test
    void constantsAheadOfTheFirstTrainableOpRecordNothing() {
        Tensor input = Tensor.of(Nd4j.ones(DataType.FLOAT, 8, 4));
        Tensor frozen = Tensor.of(Nd4j.ones(DataType.FLOAT, 4, 4));
        Tensor h = input.matmul(frozen).relu(); // nothing requires grad yet
        assertEquals(0, Memory.savedBytes());
        Tensor w = Tensor.parameter(Nd4j.ones(DataType.FLOAT, 4, 2));
        h.matmul(w); // only h is kept (for dW)
        assertEquals(8 * 4 * 4, Memory.savedBytes());
    }

    @Test
    void releaseGraphDropsSavedBytesWithoutBackward() {
        Tensor y = param(30).exp().tanh();
        assertTrue(Memory.savedBytes() > 0);
        y.releaseGraph();
        assertEquals(0, Memory.savedBytes());
    }

    @Test
    void deepChainDoesNotOverflowTheStack() {
        Tensor x = param(2);
        Tensor y = x;
        for (int i = 0; i < 20000; i++) {
            y = y.add(0.0);
        }
        y.sum().backward();
        assertArrayClose(Nd4j.ones(DataType.DOUBLE, 2), x.grad(), 0);
    }

    /** Identity op that counts how often its backward ran. */
    private static final class CountingIdentity extends Function {
        int backwardCalls;

        @Override
        protected INDArray[] forward(Context ctx, INDArray... inputs) {
            return new INDArray[] {inputs[0].dup()};
        }

        @Override
        protected INDArray[] backward(Context ctx, INDArray... gradOutputs) {
            backwardCalls++;
            return new INDArray[] {gradOutputs[0]};
        }
    }
}
