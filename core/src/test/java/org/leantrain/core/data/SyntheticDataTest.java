package org.leantrain.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class SyntheticDataTest {
    @Test
    void mixtureDensityIsExactAndSamplesFollowTheWeights() {
        GaussianMixture single = new GaussianMixture(new double[] {1}, new double[][] {{1, -1}}, new double[] {2});
        // N(x; μ, 4I) in 2-D at x = μ: 1/(2π·4)
        assertEquals(-Math.log(8 * Math.PI), single.logDensity(Nd4j.createFromArray(new double[][] {{1, -1}}))[0], 1e-12);
        GaussianMixture mix = new GaussianMixture(new double[] {3, 1}, new double[][] {{-5}, {5}}, new double[] {1, 1});
        double atZero = Math.log(0.75 * Math.exp(-12.5) / Math.sqrt(2 * Math.PI)
                + 0.25 * Math.exp(-12.5) / Math.sqrt(2 * Math.PI));
        assertEquals(atZero, mix.logDensity(Nd4j.createFromArray(new double[][] {{0}}))[0], 1e-12);
        GaussianMixture.Sample s = mix.sample(20000, DataType.DOUBLE, new Rng(1));
        long first = java.util.Arrays.stream(s.components()).filter(k -> k == 0).count();
        assertEquals(0.75, first / 20000.0, 0.01);
        assertEquals(0.75 * -5 + 0.25 * 5, s.points().meanNumber().doubleValue(), 0.05);
    }

    @Test
    void classFilteringAndReweighting() {
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        Dataset data = new Dataset(Nd4j.rand(DataType.FLOAT, 100, 3), labels);
        assertEquals(30, data.filterClasses(2, 3, 6).size());
        Dataset weighted = data.reweightClasses(new int[] {2, 3, 6}, new int[] {4, 2, 1}, new Rng(2));
        int[] counts = new int[10];
        for (int l : weighted.labels()) {
            counts[l]++;
        }
        // 10 examples per class: 2 units of (4, 2, 1)
        assertEquals(8, counts[2]);
        assertEquals(4, counts[3]);
        assertEquals(2, counts[6]);
        assertEquals(14, weighted.size());
        assertThrows(IllegalArgumentException.class, () -> data.reweightClasses(new int[] {2}, new int[] {0}, new Rng(1)));
    }
}
