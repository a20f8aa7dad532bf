package org.leantrain.reversible;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Spec §6.1–6.2: one-step inversion and closed forms of the recurrences. */
class RecurrenceTest {

    @Test
    void oneStepInversionIsExactToRoundOffForEveryRule() {
        int dim = 8;
        for (ReversibleRule rule : Fixtures.rules(1, 3)) {
            Fixtures.TanhMlp f = new Fixtures.TanhMlp(dim, 1.0, DataType.DOUBLE, new Rng(5));
            ReversibleStack stack = new ReversibleStack(List.of(f), ReversibleConfig.of(rule));
            StateWalk walk = new StateWalk(stack, DataType.DOUBLE);
            INDArray[] pair = {Fixtures.normal(DataType.DOUBLE, 1, 3, 4, dim), Fixtures.normal(DataType.DOUBLE, 2, 3, 4, dim)};
            INDArray[] next = walk.step(0, pair);
            INDArray[] back = walk.unstep(0, next);
            double scale = Math.max(Math.max(pair[0].amaxNumber().doubleValue(), pair[1].amaxNumber().doubleValue()),
                    next[1].amaxNumber().doubleValue());
            for (int s = 0; s < 2; s++) {
                double err = back[s].sub(pair[s]).amaxNumber().doubleValue();
                assertTrue(err <= 1e-13 * scale, rule + " state " + s + " reconstructed with error " + err);
            }
        }
    }

    @Test
    void constantIncrementsGiveTheClosedFormsBitExactly() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (MemoryMode memory : MemoryMode.values()) {
                int layers = 7;
                double[] c = {3, -1, 4, 1, -5, 9, 2};
                List<Branches> blocks = new ArrayList<>();
                for (double ci : c) {
                    blocks.add(new Fixtures.Constant(ci));
                }
                INDArray x = Nd4j.create(new double[] {1, -2, 7, 0}, new long[] {1, 2, 2}, type);
                // MIDPOINT, h = 0.5: p_L = x + Σ_{l ≡ L−1 (mod 2)} c_l — only every other layer reaches the output.
                double mid = c[6] + c[4] + c[2] + c[0];
                assertArrayEquals(x.add(mid).data().asDouble(),
                        run(blocks, new ReversibleRule.Midpoint(0.5), memory, x).data().asDouble(), 0);
                // LEAPFROG, h = 1: p_L = x + Σ (L − l)·c_l.
                double leap = 0;
                for (int l = 0; l < layers; l++) {
                    leap += (layers - l) * c[l];
                }
                assertArrayEquals(x.add(leap).data().asDouble(),
                        run(blocks, new ReversibleRule.Leapfrog(1), memory, x).data().asDouble(), 0);
            }
        }
    }

    @Test
    void leapfrogWithMinusIdentityHasPeriodSix() {
        INDArray x = Nd4j.create(new double[] {1.5, -3, 0.25}, new long[] {1, 1, 3}, DataType.FLOAT);
        double[] expected = {0, -1, -1, 0, 1, 1}; // p_1 … p_6 as multiples of x
        for (int layers = 1; layers <= 6; layers++) {
            INDArray p = run(Fixtures.repeat(new Fixtures.Linear(-1), layers), new ReversibleRule.Leapfrog(1),
                    MemoryMode.REVERSIBLE, x);
            assertArrayEquals(x.mul(expected[layers - 1]).data().asDouble(), p.data().asDouble(), 0, "p_" + layers);
        }
    }

    @Test
    void scalarRecurrencesMatchTheReferenceValues() {
        INDArray one = Nd4j.ones(DataType.DOUBLE, 1, 1, 1);
        assertRelative(2.8246380544, scalar(new ReversibleRule.Midpoint(0.5), 0.2, one));
        assertRelative(13.4982195491, scalar(new ReversibleRule.Leapfrog(1), 0.1, one));
        assertRelative(0.2802734375, scalar(new ReversibleRule.Leapfrog(1), -0.5, one));
    }

    private static double scalar(ReversibleRule rule, double lambda, INDArray one) {
        return run(Fixtures.repeat(new Fixtures.Linear(lambda), 10), rule, MemoryMode.REVERSIBLE, one).getDouble(0);
    }

    private static void assertRelative(double expected, double actual) {
        assertEquals(expected, actual, 1e-9 * Math.abs(expected));
    }

    private static INDArray run(List<Branches> blocks, ReversibleRule rule, MemoryMode memory, INDArray x) {
        ReversibleStack stack = new ReversibleStack(blocks, ReversibleConfig.of(rule).withMemory(memory));
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return stack.forward(Tensor.of(x)).value();
        }
    }
}
