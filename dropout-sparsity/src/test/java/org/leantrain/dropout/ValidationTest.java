package org.leantrain.dropout;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Spec §9: bad inputs fail early with a message that names the problem. */
class ValidationTest {

    private static void assertMessage(Class<? extends Throwable> type, String fragment,
            org.junit.jupiter.api.function.Executable body) {
        Throwable e = assertThrows(type, body);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention " + fragment);
    }

    @Test
    void dropoutRateOutsideZeroOneOrNaN() {
        assertMessage(IllegalArgumentException.class, "[0, 1)", () -> DropoutConfig.of(-0.1, 0));
        assertMessage(IllegalArgumentException.class, "[0, 1)", () -> DropoutConfig.of(1.0, 0));
        assertMessage(IllegalArgumentException.class, "[0, 1)", () -> DropoutConfig.of(Double.NaN, 0));
        assertMessage(IllegalArgumentException.class, "[0, 1)", () -> new StructuredMaskSampler(1.5, MaskMode.BERNOULLI));
    }

    @Test
    void fixedCountThatKeepsNothing() {
        assertMessage(IllegalArgumentException.class, "= 0 units",
                () -> new StructuredMaskSampler(0.9, MaskMode.FIXED_COUNT).keptIndices(4, new Rng(0)));
        assertMessage(IllegalArgumentException.class, "= 0 units",
                () -> Fixtures.config(11, 4, 8, 1, 5, 2, 0.9, DataType.DOUBLE));
    }

    @Test
    void tokenIdsAndSegmentSizes() {
        LstmLanguageModel model = new LstmLanguageModel(Fixtures.config(11, 4, 4, 1, 3, 2, 0, DataType.DOUBLE),
                new Rng(0));
        DropoutPlan none = DropoutPlan.none(2);
        int[][] good = {{1, 2, 3}, {4, 5, 6}};
        assertMessage(IllegalArgumentException.class, "outside [0, 11)",
                () -> model.loss(new int[][] {{1, 2, 11}, {4, 5, 6}}, good, none, model.zeroState(2)));
        assertMessage(IllegalArgumentException.class, "outside [0, 11)",
                () -> model.loss(good, new int[][] {{1, -1, 3}, {4, 5, 6}}, none, model.zeroState(2)));
        assertMessage(IllegalArgumentException.class, "T ≥ 1",
                () -> model.loss(new int[][] {{}, {}}, new int[][] {{}, {}}, none, model.zeroState(2)));
        assertMessage(IllegalArgumentException.class, "B ≥ 1",
                () -> model.loss(new int[0][], new int[0][], none, model.zeroState(2)));
        assertMessage(IllegalArgumentException.class, "bptt (T) must be at least 1",
                () -> new LmConfig(11, 4, 4, 1, 0, 2, DropoutConfig.of(0, 0), 5, 1e-3, DataType.FLOAT));
        assertMessage(IllegalArgumentException.class, "batch (B) must be at least 1",
                () -> new LmConfig(11, 4, 4, 1, 3, 0, DropoutConfig.of(0, 0), 5, 1e-3, DataType.FLOAT));
        assertMessage(IllegalArgumentException.class, "too few",
                () -> new BpttBatcher(new int[10], 4, 3));
    }

    @Test
    void keptSetsThatDoNotFitTheModel() {
        LstmLanguageModel model = new LstmLanguageModel(Fixtures.config(11, 4, 6, 1, 3, 2, 0.5, DataType.DOUBLE),
                new Rng(0));
        int[][] ids = {{1, 2, 3}, {4, 5, 6}};
        StructuredMaskSampler sampler = new StructuredMaskSampler(0.5, MaskMode.FIXED_COUNT);
        KeptSets wrongSteps = KeptSets.draw(sampler, new int[] {4, 6}, 4, new Rng(1));
        KeptSets wrongWidth = KeptSets.draw(sampler, new int[] {4, 7}, 3, new Rng(1));
        KeptSets wrongSites = KeptSets.draw(sampler, new int[] {4, 6, 6}, 3, new Rng(1));
        for (KeptSets k : new KeptSets[] {wrongSteps, wrongWidth, wrongSites}) {
            assertThrows(IllegalArgumentException.class, () -> model.loss(ids, ids,
                    DropoutPlan.of(Variant.STRUCTURED, k, DataType.DOUBLE), model.zeroState(2)));
        }
    }

    @Test
    void unsortedDuplicateOrOutOfRangeKeptIndices() {
        int[] widths = {5};
        double[][] scales = {{2.0}};
        assertMessage(IllegalArgumentException.class, "sorted and distinct",
                () -> new KeptSets(new int[][][] {{{3, 1}}}, widths, scales));
        assertMessage(IllegalArgumentException.class, "sorted and distinct",
                () -> new KeptSets(new int[][][] {{{1, 1}}}, widths, scales));
        assertMessage(IllegalArgumentException.class, "outside [0, 5)",
                () -> new KeptSets(new int[][][] {{{1, 5}}}, widths, scales));
    }

    @Test
    void nonFiniteWeightsAtLoadTime(@TempDir Path dir) throws Exception {
        LstmLanguageModel model = new LstmLanguageModel(Fixtures.config(11, 4, 4, 1, 3, 2, 0, DataType.DOUBLE),
                new Rng(0));
        model.namedParameters().get("lstm0.weight_hh_t").value().putScalar(0, 1, Double.NaN);
        Path file = dir.resolve("model.bin");
        model.save(file);
        LstmLanguageModel fresh = new LstmLanguageModel(model.config(), new Rng(1));
        Throwable e = assertThrows(Exception.class, () -> fresh.load(file));
        assertTrue(e.getMessage().toLowerCase().contains("nan") || e.getMessage().contains("finite"), e.getMessage());
    }
}
