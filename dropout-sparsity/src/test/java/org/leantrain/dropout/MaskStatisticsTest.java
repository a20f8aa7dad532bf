package org.leantrain.dropout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Spec §6 test 5: the kept sets have the stated counts, frequencies and scales. */
class MaskStatisticsTest {
    private static final int N = 650, DRAWS = 10_000;

    @Test
    void fixedCountKeepsExactlyHalfWithUniformFrequencies() {
        StructuredMaskSampler sampler = new StructuredMaskSampler(0.5, MaskMode.FIXED_COUNT);
        Rng rng = new Rng(1);
        long[] kept = new long[N];
        int[] previous = null;
        int equalConsecutive = 0;
        for (int d = 0; d < DRAWS; d++) {
            int[] units = sampler.keptIndices(N, rng);
            assertEquals(325, units.length);
            for (int i = 0; i < units.length; i++) {
                kept[units[i]]++;
                assertTrue(i == 0 || units[i] > units[i - 1], "kept indices are sorted and distinct");
            }
            if (previous != null && java.util.Arrays.equals(previous, units)) {
                equalConsecutive++;
            }
            previous = units;
        }
        double band = 4 * Math.sqrt(0.25 / DRAWS);
        for (int j = 0; j < N; j++) {
            assertEquals(0.5, (double) kept[j] / DRAWS, band, "keep frequency of unit " + j);
        }
        assertEquals(0, equalConsecutive, "consecutive masks must differ");
        assertEquals(2.0, sampler.scale(N, 325), 0);
    }

    @Test
    void bernoulliKeepsOnAverageHalfWithScaleTwo() {
        StructuredMaskSampler sampler = new StructuredMaskSampler(0.5, MaskMode.BERNOULLI);
        Rng rng = new Rng(2);
        long total = 0;
        java.util.Set<Integer> counts = new java.util.HashSet<>();
        for (int d = 0; d < DRAWS; d++) {
            int k = sampler.keptIndices(N, rng).length;
            total += k;
            counts.add(k);
        }
        assertEquals(325, (double) total / DRAWS, 0.51);
        assertTrue(counts.size() > 10, "the kept count varies");
        assertEquals(2.0, sampler.scale(N, 300), 0);
    }

    @Test
    void everyBatchRowSharesTheMaskAndStepsDiffer() {
        KeptSets sets = KeptSets.draw(new StructuredMaskSampler(0.5, MaskMode.FIXED_COUNT), new int[] {N}, 2,
                new Rng(3));
        INDArray mask = sets.denseMask(0, 0, 16, DataType.DOUBLE);
        for (int b = 1; b < 16; b++) {
            assertArrayEquals(mask.getRow(0).toDoubleVector(), mask.getRow(b).toDoubleVector(), 0);
        }
        assertEquals(325, mask.getRow(0).sumNumber().intValue());
        assertTrue(!java.util.Arrays.equals(sets.kept(0, 0), sets.kept(0, 1)));
    }

    @Test
    void zarembaMasksAreIndependentPerElementWithScaleTwo() {
        DropoutPlan plan = DropoutPlan.zaremba(0.5, new int[] {N}, 1, 64, DataType.DOUBLE, new Rng(4));
        assertEquals(null, plan.keptSets());
        // Through the projection: with W = I and b = 0, the output is the mask itself (0 or 2 per element).
        org.leantrain.core.tensor.Tensor ones = org.leantrain.core.tensor.Tensor.ones(DataType.DOUBLE, 1, N, 64);
        INDArray eye = org.nd4j.linalg.factory.Nd4j.eye(N).castTo(DataType.DOUBLE);
        INDArray out = plan.project(0, ones, org.leantrain.core.tensor.Tensor.of(eye),
                org.leantrain.core.tensor.Tensor.zeros(DataType.DOUBLE, N)).value().slice(0);
        assertEquals(0.5 * N * 64, out.sumNumber().doubleValue() / 2, 4 * Math.sqrt(0.25 * N * 64));
        assertTrue(!out.getColumn(0).equals(out.getColumn(1)), "batch rows have their own masks");
    }
}
