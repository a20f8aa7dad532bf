package org.leantrain.negcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Spec §6 tests 6–8 (the official loss vectors), 13 (an all-masked row) through {@link CacheLoss}. */
class CacheLossTest {
    private static final CacheLoss.Sampler DRAWS_0_1_0 = (scores, rng) -> new int[] {0, 1, 0};

    /** Two slots: cached embeddings [[1], [−1]] (× scale), features [[f0], [f1]], ids 100 and 101. */
    private static NegativeCache cache(double scale, int f0, int f1) {
        NegativeCache cache = new NegativeCache(2, 1, 1, EvictionPolicy.LRU);
        cache.insert(new int[][] {{f0}, {f1}}, Nd4j.createFromArray(new double[][] {{scale}, {-scale}}),
                new int[] {100, 101}, null);
        return cache;
    }

    /** The identity on features, as a document tower, times {@code b}. */
    private static Function<int[][], Tensor> identityTower(Tensor b) {
        return features -> {
            double[][] x = new double[features.length][1];
            for (int i = 0; i < features.length; i++) {
                x[i][0] = features[i][0];
            }
            return Tensor.of(x, DataType.DOUBLE).mul(b);
        };
    }

    private static Tensor column(double scale, double... values) {
        double[][] x = new double[values.length][1];
        for (int i = 0; i < values.length; i++) {
            x[i][0] = scale * values[i];
        }
        return Tensor.of(x, DataType.DOUBLE);
    }

    private static CacheLoss.Result officialCase(double scale, double beta) {
        Tensor one = Tensor.scalar(1, DataType.DOUBLE);
        return CacheLoss.compute(column(scale, -1, 1, 3), column(scale, 2, 2, 1),
                identityTower(one.mul(scale)), cache(scale, 1, -1), new int[] {0, 1, 2},
                new CacheLoss.Options(beta, false, 0, 1, DRAWS_0_1_0),
                new Rng(0));
    }

    @Test
    void officialInterpretableLossProbabilitiesAndScoreDifferences() {
        for (double[] scaleBeta : new double[][] {{1, 1}, {2, 0.25}}) {
            CacheLoss.Result r = officialCase(scaleBeta[0], scaleBeta[1]);
            assertArrayEquals(new double[] {3.169846, 0.349012, 0.694385}, r.interpretableLoss(), 1e-5);
            assertArrayEquals(new double[] {0.0420101, 0.705385, 0.499381}, r.pPositive(), 1e-5);
            assertArrayEquals(new int[] {0, 1, 0}, r.sampledSlots());
            double[] difference = {1, -3, 0};
            double expected = 0;
            for (int i = 0; i < 3; i++) {
                expected += (1 - r.pPositive()[i]) * difference[i] / 3;
            }
            assertEquals(expected, r.trainingLoss().item(), 1e-9);
        }
    }

    @Test
    void officialGradientThroughBothTowers() {
        Tensor a = Tensor.parameter(Nd4j.scalar(1.0).castTo(DataType.DOUBLE));
        Tensor b = Tensor.parameter(Nd4j.scalar(1.0).castTo(DataType.DOUBLE));
        CacheLoss.Result r = CacheLoss.compute(column(1, -1, 1, 3).mul(a), column(1, 2, 2, 1).mul(b),
                identityTower(b), cache(1, 1, -1), new int[] {0, 1, 2},
                new CacheLoss.Options(1, false, 0, 1, DRAWS_0_1_0),
                new Rng(0));
        r.trainingLoss().backward();
        assertEquals(0.024714490653552617, a.grad().getDouble(0), 1e-6);
        assertEquals(0.024714490653552617, b.grad().getDouble(0), 1e-6);
    }

    @Test
    void officialStaleness() {
        CacheLoss.Result r = CacheLoss.compute(column(0, 0, 0, 0), column(0, 0, 0, 0),
                identityTower(Tensor.scalar(1, DataType.DOUBLE)), cache(1, 2, -3), new int[] {0, 1, 2},
                new CacheLoss.Options(1, false, 0, 1, DRAWS_0_1_0), new Rng(0));
        assertArrayEquals(new double[] {0.25, 4 / 9.0, 0.25}, r.staleness(), 1e-12);
        assertEquals(0.31481481481, java.util.Arrays.stream(r.staleness()).average().orElseThrow(), 1e-10);
    }

    @Test
    void aSlotHoldingTheQuerysPositiveIsNeverDrawnAndAnEmptyRowContributesNothing() {
        NegativeCache cache = cache(1, 1, -1);
        Tensor tower = Tensor.scalar(1, DataType.DOUBLE);
        // query 0's positive is document 100 (slot 0): only slot 1 may be drawn for it
        for (int trial = 0; trial < 50; trial++) {
            CacheLoss.Result r = CacheLoss.compute(column(1, 3), column(1, 1), identityTower(tower), cache,
                    new int[] {100}, CacheLoss.Options.of(1), new Rng(trial));
            assertEquals(1, r.sampledSlots()[0]);
        }
        NegativeCache empty = new NegativeCache(2, 1, 1, EvictionPolicy.LRU);
        CacheLoss.Result r = CacheLoss.compute(column(1, 3), column(1, 1), identityTower(tower), empty,
                new int[] {7}, CacheLoss.Options.of(1), new Rng(0));
        assertEquals(-1, r.sampledSlots()[0]);
        assertEquals(1.0, r.pPositive()[0]);
        assertEquals(0.0, r.trainingLoss().item());
    }

    @Test
    void officialTopKOfTwoGroups() {
        NegativeCache cache = new NegativeCache(4, 1, 1, EvictionPolicy.LRU);
        cache.insert(new int[][] {{1}, {-1}, {3}, {2}}, Nd4j.createFromArray(new double[][] {{1}, {-1}, {3}, {2}}),
                new int[] {100, 101, 102, 103}, null);
        CacheLoss.Result r = CacheLoss.compute(column(1, -1, 1), column(1, 2, 2),
                identityTower(Tensor.scalar(1, DataType.DOUBLE)), cache, new int[] {0, 1},
                new CacheLoss.Options(1, false, 2, 1, (scores, rng) -> new int[] {0, 0}), new Rng(0));
        assertArrayEquals(new double[] {3.0949229, 1.407605964}, r.interpretableLoss(), 1e-6);
        assertArrayEquals(new double[] {0.045278503, 0.2447284712}, r.pPositive(), 1e-8);
        assertArrayEquals(new int[] {1, 0}, r.sampledSlots()); // entry 0 of each query's top-k list
        double expected = ((1 - r.pPositive()[0]) * 3 + (1 - r.pPositive()[1]) * -1) / 2;
        assertEquals(expected, r.trainingLoss().item(), 1e-9);
    }

    @Test
    void twoShardsReproduceTheOfficialProbabilitiesAndLosses() {
        ShardedSampler shards = new ShardedSampler(1, 1);
        CacheLoss.Result flat = officialCase(1, 1);
        double[] sPos = {-2, 2, 3};
        double[][] cached = {{-1, 1}, {1, -1}, {3, -3}};
        for (int i = 0; i < 3; i++) {
            assertEquals(flat.pPositive()[i], shards.positiveProbability(sPos[i], cached[i]), 1e-12);
        }
        CacheLoss.Result sharded = CacheLoss.compute(column(1, -1, 1, 3), column(1, 2, 2, 1),
                identityTower(Tensor.scalar(1, DataType.DOUBLE)), cache(1, 1, -1), new int[] {0, 1, 2},
                new CacheLoss.Options(1, false, 0, 1, shards), new Rng(0));
        assertArrayEquals(flat.interpretableLoss(), sharded.interpretableLoss(), 1e-12);
        assertArrayEquals(new int[] {1, 0}, new ShardedSampler(3, 2).locate(3));
    }

    @Test
    void severalNegativesPerQueryAverageTheirScores() {
        // two draws per query: slots (0, 1), (1, 1), (0, 0); ℓ uses the mean negative score of each query
        int[][] draws = {{0, 1, 0}, {1, 1, 0}};
        int[] call = {0};
        CacheLoss.Sampler twice = (scores, rng) -> draws[call[0]++];
        CacheLoss.Result r = CacheLoss.compute(column(1, -1, 1, 3), column(1, 2, 2, 1),
                identityTower(Tensor.scalar(1, DataType.DOUBLE)), cache(1, 1, -1), new int[] {0, 1, 2},
                new CacheLoss.Options(1, false, 0, 2, twice), new Rng(0));
        assertArrayEquals(new int[] {0, 1, 1, 1, 0, 0}, r.sampledSlots());
        // ŝ − s⁺ per draw: query 0: (−1 + 2, 1 + 2), query 1: (−1 − 2, −1 − 2), query 2: (3 − 3, 3 − 3)
        double[] meanDifference = {2, -3, 0};
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            expected += (1 - r.pPositive()[i]) * meanDifference[i] / 3;
        }
        assertEquals(expected, r.trainingLoss().item(), 1e-9);
        assertEquals(6, r.freshNegatives().rows());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new CacheLoss.Options(1, true, 0, 0, CacheLoss.GUMBEL_MAX));
    }
}
