package org.leantrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.tensor.GradCheck;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Spec §6.3–6.4 and 6.7: the reconstructing backward gives the gradients of plain autograd through the same
 * recurrence (STORED), for every rule, depth and length, in float64 and float32, and after one AdamW step; finite
 * differences agree; with keyed dropout replay too.
 */
class GradientEqualityTest {
    private static final int BATCH = 2;

    @Test
    void reversibleMatchesStoredForEveryRuleDepthAndLength() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            for (int layers : new int[] {1, 3, 7}) {
                for (int t : new int[] {8, 17}) {
                    for (long seed : new long[] {1, 2}) {
                        for (ReversibleRule rule : Fixtures.rules(layers, seed)) {
                            compare(ReversibleConfig.of(rule), false, layers, t, seed, type);
                        }
                    }
                }
            }
        }
    }

    @Test
    void checkpointsAndOtherBoundariesKeepGradientsExact() {
        ReversibleRule mid = new ReversibleRule.Midpoint(0.5);
        compare(ReversibleConfig.of(mid).withCheckpointEvery(2), false, 7, 8, 1, DataType.DOUBLE);
        compare(ReversibleConfig.of(mid).withBoundary(Boundary.EULER_BOOTSTRAP), false, 3, 8, 1, DataType.DOUBLE);
        compare(ReversibleConfig.of(mid).withBoundary(Boundary.FIXED_POINT), false, 3, 8, 1, DataType.DOUBLE);
        compare(ReversibleConfig.of(new ReversibleRule.Hamiltonian()).withBoundary(Boundary.EULER_BOOTSTRAP), false,
                3, 8, 2, DataType.DOUBLE);
        compare(ReversibleConfig.of(new ReversibleRule.Leapfrog(1)).withCheckpointEvery(3), false, 7, 17, 2,
                DataType.FLOAT);
    }

    @Test
    void keyedDropoutReplayKeepsGradientsExact() {
        for (ReversibleRule rule : Fixtures.rules(3, 4)) {
            compare(ReversibleConfig.of(rule).withReplayedDropout(0.1), false, 3, 8, 4, DataType.DOUBLE);
        }
    }

    @Test
    void twoBlockIncrementsKeepGradientsExact() {
        compare(Converter.configFor(ConversionMode.TWO_BLOCK), true, 3, 8, 1, DataType.DOUBLE);
        compare(Converter.configFor(ConversionMode.CENTRAL), false, 3, 8, 2, DataType.DOUBLE);
    }

    /** Loss, logits, every gradient and the parameters after one AdamW step, REVERSIBLE against STORED. */
    private static void compare(ReversibleConfig config, boolean twoBlock, int layers, int t, long seed,
                                DataType type) {
        boolean f64 = type == DataType.DOUBLE;
        double atol = f64 ? 1e-9 : 3e-5;
        double rtol = f64 ? 1e-8 : 3e-4;
        LmShape shape = Fixtures.tinyShape(layers, 17);
        ReversibleLM stored = new ReversibleLM(shape, config.withMemory(MemoryMode.STORED), twoBlock, type,
                new Rng(seed));
        ReversibleLM reversible = new ReversibleLM(shape, config.withMemory(MemoryMode.REVERSIBLE), twoBlock, type,
                new Rng(seed));
        Rng data = new Rng(100 + seed);
        int[][] inputs = Fixtures.randomIds(BATCH, t, shape.vocab(), data);
        int[][] targets = Fixtures.randomIds(BATCH, t, shape.vocab(), data);
        String what = config.rule() + " " + config.boundary() + " L=" + layers + " T=" + t + " seed=" + seed + " " + type;

        Tensor expectedLoss = stored.loss(inputs, targets);
        Tensor actualLoss = reversible.loss(inputs, targets);
        assertEquals(expectedLoss.item(), actualLoss.item(), atol + rtol * Math.abs(expectedLoss.item()), what);
        expectedLoss.backward();
        actualLoss.backward();
        try {
            Fixtures.assertSameGradients(stored.namedParameters(), reversible.namedParameters(), atol, rtol);
        } catch (AssertionError e) {
            throw new AssertionError(what + ": " + e.getMessage(), e);
        }

        stored.eval();
        reversible.eval();
        Fixtures.assertClose(what + " logits", stored.logits(inputs).value(), reversible.logits(inputs).value(),
                atol, rtol);
        stored.train(true);
        reversible.train(true);

        // The key bias has an exactly zero gradient (softmax ignores a shift shared by all keys); Adam's first step
        // lr·g/(|g| + eps) would turn its float32 round-off into full ±lr moves, so float32 uses eps 1e-6.
        double eps = f64 ? 1e-8 : 1e-6;
        new Adam(stored.trainableParameters(), 1e-3, 0.9, 0.999, eps, 0.01, true).step();
        new Adam(reversible.trainableParameters(), 1e-3, 0.9, 0.999, eps, 0.01, true).step();
        List<Tensor> a = stored.parameters();
        List<Tensor> b = reversible.parameters();
        for (int i = 0; i < a.size(); i++) {
            Fixtures.assertClose(what + " parameter " + a.get(i).name() + " after AdamW", a.get(i).value(),
                    b.get(i).value(), f64 ? atol : 5e-5, f64 ? rtol : 0);
        }
    }

    @Test
    void finiteDifferencesAgreeForEveryRuleAndCentralConversion() {
        LmShape shape = new LmShape(11, 8, 2, 3, 5, 0);
        Rng data = new Rng(9);
        int[][] inputs = Fixtures.randomIds(2, 5, shape.vocab(), data);
        int[][] targets = Fixtures.randomIds(2, 5, shape.vocab(), data);
        List<ReversibleLM> models = new ArrayList<>();
        for (ReversibleRule rule : Fixtures.rules(3, 7)) {
            models.add(new ReversibleLM(shape, ReversibleConfig.of(rule), DataType.DOUBLE, new Rng(3)));
        }
        models.add(Converter.convert(new StandardLM(shape, DataType.DOUBLE, new Rng(4)), ConversionMode.CENTRAL));
        for (ReversibleLM model : models) {
            // a sample from every kind of parameter and depth (all of them would take minutes of forwards)
            List<Tensor> block0 = model.blocks().get(0).parameters();
            List<Tensor> block1 = model.blocks().get(1).parameters();
            List<Tensor> block2 = model.blocks().get(2).parameters();
            List<Tensor> sample = List.of(model.tokens().table(), block0.get(0), block0.get(3), block1.get(9),
                    block1.get(11), block2.get(5), block2.get(7), model.head().bias());
            GradCheck.of(1e-6, 1e-6, 1e-9).checkParameters(() -> model.loss(inputs, targets), sample);
        }
    }
}
