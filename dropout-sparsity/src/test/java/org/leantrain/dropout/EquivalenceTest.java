package org.leantrain.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Spec §6 tests 2, 3 and 6: structured GEMMs compute exactly what the dense masked computation does. */
class EquivalenceTest {
    private static final int B = 5, V = 11, E = 6, H = 8, L = 2, T = 7;

    private static Map<String, INDArray> run(LstmLanguageModel model, Variant variant, KeptSets kept,
            int[][] in, int[][] out) {
        DropoutPlan plan = DropoutPlan.of(variant, kept, model.config().type());
        return Fixtures.gradients(model, () -> model.loss(in, out, plan, model.zeroState(in.length)).loss());
    }

    private static void checkAllVariants(KeptSets kept, long seed) {
        Rng rng = new Rng(seed);
        LstmLanguageModel model = new LstmLanguageModel(Fixtures.config(V, E, H, L, T, B, 0.5, DataType.DOUBLE), rng);
        int[][] in = Fixtures.tokens(B, T, V, rng);
        int[][] out = Fixtures.tokens(B, T, V, rng);
        Map<String, INDArray> reference = Fixtures.gradients(model, () -> Fixtures.referenceLoss(model, kept, in, out));
        for (Variant v : new Variant[] {Variant.STRUCTURED, Variant.STRUCTURED_KEPT_WEIGHTS, Variant.DENSE_MASKED,
            Variant.DENSE_MASKED_FUSED}) {
            Fixtures.assertSameGradients(reference, run(model, v, kept, in, out), 1e-12, v.toString());
        }
    }

    @Test
    void fixedCountMasksGiveTheDenseMaskedLossAndGradientsInDouble() {
        Rng rng = new Rng(1);
        KeptSets kept = KeptSets.draw(new StructuredMaskSampler(0.5, MaskMode.FIXED_COUNT), new int[] {E, H, H}, T, rng);
        checkAllVariants(kept, 2);
    }

    @Test
    void bernoulliMasksIncludingEmptyAndFullSetsAreEquivalent() {
        KeptSets kept = Fixtures.bernoulliWithExtremes(new int[] {E, H, H}, T, 0.5, new Rng(3));
        assertEquals(0, kept.kept(1, 2).length);
        assertEquals(H, kept.kept(2, 4).length);
        checkAllVariants(kept, 4);
    }

    @Test
    void theFallbacksForOtherBackendsAreEquivalentToo() {
        boolean cpu = HostMemory.CPU;
        HostMemory.CPU = false; // ND4J ops instead of direct memory access and BLAS calls
        try {
            bernoulliMasksIncludingEmptyAndFullSetsAreEquivalent();
        } finally {
            HostMemory.CPU = cpu;
        }
    }

    @Test
    void equivalenceHoldsInsideStepMemory() {
        try (StepMemory ignored = StepMemory.open()) {
            fixedCountMasksGiveTheDenseMaskedLossAndGradientsInDouble();
        }
    }

    @Test
    void mediumSizeInFloatAgreesToOneInAHundredThousand() {
        int batch = 20, hidden = 650, steps = 5;
        Rng rng = new Rng(5);
        LmConfig config = Fixtures.config(50, hidden, hidden, 2, steps, batch, 0.5, DataType.FLOAT);
        LstmLanguageModel model = new LstmLanguageModel(config, rng);
        int[][] in = Fixtures.tokens(batch, steps, 50, rng);
        int[][] out = Fixtures.tokens(batch, steps, 50, rng);
        KeptSets kept = KeptSets.draw(new StructuredMaskSampler(0.5, MaskMode.FIXED_COUNT), config.siteWidths(), steps, rng);
        Map<String, INDArray> dense = run(model, Variant.DENSE_MASKED, kept, in, out);
        Map<String, INDArray> structured = run(model, Variant.STRUCTURED, kept, in, out);
        Fixtures.assertSameGradients(dense, structured, 1e-5, "float, H = 650");
    }

    @Test
    void evaluationEqualsDenseMaskedWithPZeroBitForBit() {
        Rng rng = new Rng(6);
        LstmLanguageModel model = new LstmLanguageModel(Fixtures.config(V, E, H, L, T, B, 0.5, DataType.DOUBLE), rng);
        int[][] in = Fixtures.tokens(B, T, V, rng);
        int[][] out = Fixtures.tokens(B, T, V, rng);
        KeptSets all = KeptSets.draw(new StructuredMaskSampler(0, MaskMode.FIXED_COUNT), new int[] {E, H, H}, T, rng);
        Map<String, INDArray> dense = run(model, Variant.DENSE_MASKED, all, in, out);
        Map<String, INDArray> eval = Fixtures.gradients(model,
                () -> model.loss(in, out, DropoutPlan.none(L + 1), model.zeroState(B)).loss());
        for (String name : dense.keySet()) {
            assertEquals(dense.get(name), eval.get(name), name + " is not bit-identical");
        }
        Map<String, INDArray> reference = Fixtures.gradients(model, () -> Fixtures.referenceLoss(model, null, in, out));
        Fixtures.assertSameGradients(reference, eval, 1e-12, "no dropout vs the autograd reference");
    }

    @Test
    void droppedUnitsGetNoWeightGradientInASingleStep() {
        Rng rng = new Rng(8);
        LstmLanguageModel model = new LstmLanguageModel(Fixtures.config(V, E, H, L, 1, B, 0.5, DataType.DOUBLE), rng);
        int[][] in = Fixtures.tokens(B, 1, V, rng);
        int[][] out = Fixtures.tokens(B, 1, V, rng);
        KeptSets kept = KeptSets.draw(new StructuredMaskSampler(0.5, MaskMode.FIXED_COUNT), new int[] {E, H, H}, 1, rng);
        Map<String, INDArray> grads = run(model, Variant.STRUCTURED, kept, in, out);
        String[] weights = {"lstm0.weight_ih_t", "lstm1.weight_ih_t", "decoder_weight_t"};
        for (int site = 0; site < weights.length; site++) {
            INDArray dW = grads.get(weights[site]);
            java.util.Set<Integer> keptUnits = new java.util.HashSet<>();
            for (int j : kept.kept(site, 0)) {
                keptUnits.add(j);
            }
            for (int row = 0; row < dW.rows(); row++) {
                double norm = dW.getRow(row).norm1Number().doubleValue();
                if (keptUnits.contains(row)) {
                    assertTrue(norm > 0, weights[site] + " row " + row + " was kept but got no gradient");
                } else {
                    assertEquals(0.0, norm, weights[site] + " row " + row + " was dropped but got a gradient");
                }
            }
        }
    }

    @Test
    void carriedStateContinuesTheSequence() {
        Rng rng = new Rng(9);
        LstmLanguageModel model = new LstmLanguageModel(Fixtures.config(V, E, H, L, T, B, 0.5, DataType.DOUBLE), rng);
        int[][] in = Fixtures.tokens(B, T, V, rng);
        int[][] out = Fixtures.tokens(B, T, V, rng);
        double whole = Fixtures.referenceLoss(model, null, in, out).item();
        DropoutPlan none = DropoutPlan.none(L + 1);
        LstmLanguageModel.Output first = model.loss(part(in, 0, 3), part(out, 0, 3), none, model.zeroState(B));
        LstmLanguageModel.Output second = model.loss(part(in, 3, T), part(out, 3, T), none, first.state());
        assertEquals(whole, (3 * first.loss().item() + (T - 3) * second.loss().item()) / T, 1e-12);
    }

    private static int[][] part(int[][] rows, int from, int to) {
        int[][] out = new int[rows.length][];
        for (int b = 0; b < rows.length; b++) {
            out[b] = java.util.Arrays.copyOfRange(rows[b], from, to);
        }
        return out;
    }
}
