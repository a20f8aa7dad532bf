package org.leantrain.ebm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Spec §6 tests 8–11: ESS, systematic and multinomial resampling, continuity of log Ẑ. */
class ResamplingTest {

    @Test
    void effectiveSampleSize() {
        assertEquals(1.6, LogWeights.ess(new double[] {0, Math.log(3)}), 1e-12);
        assertEquals(4, LogWeights.ess(new double[4]), 1e-12);
        assertEquals(2, LogWeights.ess(new double[] {1000, 1000, -1000}), 1e-12);
        double[] a = {0, -1, 2, 0.5, -3};
        assertEquals(1.8701174744956306, LogWeights.ess(a), 1e-12);
        assertEquals(0.7376848757069128, LogWeights.logMeanWeight(a), 1e-12);
    }

    @Test
    void systematicReferenceVectors() {
        double[] p = {0.1, 0.2, 0.3, 0.4};
        assertArrayEquals(new int[] {1, 2, 3, 3}, ResamplingScheme.systematic(p, 0.5));
        assertArrayEquals(new int[] {0, 1, 2, 3}, ResamplingScheme.systematic(p, 0));
    }

    @Test
    void systematicCopiesEachWalkerFloorOrCeilTimes() {
        Rng rng = new Rng(9);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + rng.nextInt(40);
            double[] p = LogWeights.normalize(rng.normal(DataType.DOUBLE, 0, 2, n).toDoubleVector());
            int[] idx = ResamplingScheme.systematic(p, rng.nextDouble());
            int[] counts = new int[n];
            for (int i : idx) {
                counts[i]++;
            }
            int total = 0;
            for (int i = 0; i < n; i++) {
                double expected = n * p[i];
                assertTrue(counts[i] == Math.floor(expected) || counts[i] == Math.ceil(expected)
                        || Math.abs(counts[i] - expected) < 1 + 1e-9, "count " + counts[i] + " for N p = " + expected);
                total += counts[i];
            }
            assertEquals(n, total);
        }
    }

    @Test
    void multinomialCountsWithinFiveStandardDeviations() {
        double[] p = {0.1, 0.2, 0.3, 0.4};
        Rng rng = new Rng(10);
        int[] counts = new int[4];
        int draws = 0;
        while (draws < 100_000) {
            for (int i : ResamplingScheme.MULTINOMIAL.indices(p, rng)) {
                counts[i]++;
                draws++;
            }
        }
        for (int i = 0; i < 4; i++) {
            double mean = draws * p[i];
            double sd = Math.sqrt(draws * p[i] * (1 - p[i]));
            assertEquals(mean, counts[i], 5 * sd, "walker " + i);
        }
    }

    @Test
    void resamplingKeepsLogZAndResetsWeights() {
        Rng rng = new Rng(11);
        QuadraticEnergy model = new QuadraticEnergy(3, 1);
        INDArray x = rng.normal(DataType.DOUBLE, 0, 1, 64, 3);
        WalkerPopulation pop = new WalkerPopulation(x, model.energyAndGrad(x));
        double[] a = rng.normal(DataType.DOUBLE, 0, 3, 64).toDoubleVector();
        System.arraycopy(a, 0, pop.logWeights, 0, 64);
        pop.weightsChanged();
        for (ResamplingScheme scheme : ResamplingScheme.values()) {
            double before = pop.logZEstimate(1.5);
            int[] idx = scheme.indices(pop.normalizedWeights(), rng);
            double[] energies = pop.cachedEnergies();
            pop.resample(idx);
            assertEquals(before, pop.logZEstimate(1.5), 1e-12);
            for (int j = 0; j < 64; j++) {
                assertEquals(0, pop.logWeights()[j], 0.0);
                assertEquals(energies[idx[j]], pop.cachedEnergies()[j], 0.0, "cached energy carried");
                assertEquals(x.getDouble(idx[j], 0), pop.positions().getDouble(j, 0), 0.0);
            }
            x = pop.positions().dup();
            System.arraycopy(rng.normal(DataType.DOUBLE, 0, 3, 64).toDoubleVector(), 0, pop.logWeights, 0, 64);
            pop.weightsChanged();
        }
    }
}
