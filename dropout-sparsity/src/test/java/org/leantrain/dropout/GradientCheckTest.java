package org.leantrain.dropout;

import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.GradCheck;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Finite-difference checks (float64, step 1e-6) of every hand-written backward, and of the whole model (§6 test 4). */
class GradientCheckTest {
    private static final GradCheck CHECK = GradCheck.of(1e-6, 1e-6, 1e-9);
    private static final int T = 4, N_IN = 5, N_OUT = 6, B = 3;

    private static INDArray[] projectionInputs(Rng rng) {
        return new INDArray[] {
            rng.normal(DataType.DOUBLE, 0, 1, T, N_IN, B),
            rng.normal(DataType.DOUBLE, 0, 0.5, N_IN, N_OUT),
            rng.normal(DataType.DOUBLE, 0, 0.5, N_OUT)
        };
    }

    @Test
    void structuredProjection() {
        Rng rng = new Rng(1);
        KeptSets kept = Fixtures.bernoulliWithExtremes(new int[] {N_IN, N_IN, N_IN}, T + 1, 0.5, rng);
        int[][] sets = new int[T][];
        double[] scales = new double[T];
        for (int t = 0; t < T; t++) {
            sets[t] = kept.kept(1, t); // step 2 of site 1 keeps nothing
            scales[t] = kept.scale(1, t);
        }
        INDArray[] inputs = projectionInputs(rng);
        CHECK.check(x -> new StructuredProjection(sets, scales, false).apply1(x), inputs);
        CHECK.check(x -> new StructuredProjection(sets, scales, true).apply1(x), inputs);
    }

    @Test
    void denseProjectionPerStepFusedAndPerElementMasks() {
        Rng rng = new Rng(2);
        INDArray columnMask = rng.bernoulli(DataType.DOUBLE, 0.5, T, N_IN, 1).muli(2);
        INDArray elementMask = rng.bernoulli(DataType.DOUBLE, 0.5, T, N_IN, B).muli(2);
        INDArray[] inputs = projectionInputs(rng);
        CHECK.check(x -> new DenseProjection(columnMask, false).apply1(x), inputs);
        CHECK.check(x -> new DenseProjection(columnMask, true).apply1(x), inputs);
        CHECK.check(x -> new DenseProjection(elementMask, true).apply1(x), inputs);
        CHECK.check(x -> new DenseProjection(null, false).apply1(x), inputs);
    }

    @Test
    void lstmRecurrenceEveryOutput() {
        Rng rng = new Rng(3);
        int hidden = 3;
        INDArray[] inputs = {
            rng.normal(DataType.DOUBLE, 0, 1, T, 4 * hidden, B),
            rng.normal(DataType.DOUBLE, 0, 0.5, hidden, 4 * hidden),
            rng.normal(DataType.DOUBLE, 0, 0.5, hidden, B),
            rng.normal(DataType.DOUBLE, 0, 0.5, hidden, B)
        };
        for (int output = 0; output < 3; output++) {
            int which = output;
            CHECK.check(x -> new LstmRecurrence().apply(x)[which], inputs);
        }
    }

    @Test
    void wholeStructuredModelOnTheEquivalenceSetUp() {
        Rng rng = new Rng(4);
        int batch = 5, vocab = 11, embed = 6, hidden = 8, steps = 7;
        LstmLanguageModel model = new LstmLanguageModel(
                Fixtures.config(vocab, embed, hidden, 2, steps, batch, 0.5, DataType.DOUBLE), rng);
        int[][] in = Fixtures.tokens(batch, steps, vocab, rng);
        int[][] out = Fixtures.tokens(batch, steps, vocab, rng);
        KeptSets kept = Fixtures.bernoulliWithExtremes(new int[] {embed, hidden, hidden}, steps, 0.5, rng);
        DropoutPlan plan = DropoutPlan.of(Variant.STRUCTURED, kept, DataType.DOUBLE);
        CHECK.checkParameters(() -> model.loss(in, out, plan, model.zeroState(batch)).loss(), model.parameters());
    }
}
