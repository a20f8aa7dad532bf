package org.leantrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Spec §6.5: saved bytes flat in depth for REVERSIBLE, linear for STORED and the standard LM, checkpoints priced. */
class MemoryTest {
    private static final int B = 2;
    private static final int T = 8;
    private static final int[] DEPTHS = {2, 4, 8, 16};

    @Test
    void reversibleSavedBytesAreFlatInDepthWhileStoredGrowLinearly() {
        for (ReversibleRule rule : new ReversibleRule[] {new ReversibleRule.Midpoint(0.5), new ReversibleRule.Hamiltonian()}) {
            double[] reversible = new double[DEPTHS.length];
            double[] stored = new double[DEPTHS.length];
            double[] standard = new double[DEPTHS.length];
            for (int i = 0; i < DEPTHS.length; i++) {
                int l = DEPTHS[i];
                reversible[i] = peak(new ReversibleLM(shape(l), ReversibleConfig.of(rule), DataType.FLOAT, new Rng(1)));
                stored[i] = peak(new ReversibleLM(shape(l), ReversibleConfig.of(rule).withMemory(MemoryMode.STORED),
                        DataType.FLOAT, new Rng(1)));
                standard[i] = peak(new StandardLM(shape(l), DataType.FLOAT, new Rng(1)));
            }
            double max = java.util.Arrays.stream(reversible).max().orElseThrow();
            double min = java.util.Arrays.stream(reversible).min().orElseThrow();
            assertTrue(max / min <= 1.02, rule + ": reversible peaks " + java.util.Arrays.toString(reversible));
            for (double[] growing : new double[][] {stored, standard}) {
                assertTrue(growing[3] / growing[0] >= 6, rule + ": " + java.util.Arrays.toString(growing));
                assertTrue(rSquared(growing) >= 0.999, rule + ": not linear in L: " + java.util.Arrays.toString(growing));
            }
        }
    }

    @Test
    void eachCheckpointedPairCostsTwoStates() {
        int layers = 16;
        long state = (long) B * T * 16 * 4;
        for (int k : new int[] {2, 4, 8}) {
            ReversibleConfig config = ReversibleConfig.of(new ReversibleRule.Leapfrog(1));
            long none = peak(new ReversibleLM(shape(layers), config, DataType.FLOAT, new Rng(1)));
            long with = peak(new ReversibleLM(shape(layers), config.withCheckpointEvery(k), DataType.FLOAT, new Rng(1)));
            double expected = 2.0 * state * Math.ceil((double) layers / k);
            assertEquals(expected, with - none, 2.0 * state, "k = " + k);
        }
    }

    @Test
    void chunkedLossKeepsLessThanTheFullLogits() {
        LmShape wide = new LmShape(400, 16, 2, 2, T, 0);
        long whole = peak(new StandardLM(wide, DataType.FLOAT, new Rng(1)));
        long chunked = peak(new StandardLM(wide.withLossChunkRows(4), DataType.FLOAT, new Rng(1)));
        // the whole loss keeps the B·T×400 log-probabilities; the chunked one at most one 4-row chunk of them
        assertTrue(chunked <= whole - (long) (B * T - 4) * 400 * 4, "chunked " + chunked + " vs whole " + whole);
    }

    @Test
    void maxBatchSearchFindsTheLargestFittingBatch() {
        assertEquals(37, MemoryProbe.maxBatch(b -> 1000L * b + 500, 37_600, 1_000));
        assertEquals(0, MemoryProbe.maxBatch(b -> 1000L * b, 999, 1_000));
        assertEquals(1_000, MemoryProbe.maxBatch(b -> b, 1L << 40, 1_000));
    }

    private static LmShape shape(int layers) {
        return new LmShape(11, 16, 2, layers, T, 0);
    }

    private static long peak(LanguageModel model) {
        Rng data = new Rng(2);
        int[][] inputs = Fixtures.randomIds(B, T, model.shape().vocab(), data);
        int[][] targets = Fixtures.randomIds(B, T, model.shape().vocab(), data);
        return MemoryProbe.peakSavedBytes(() -> model.loss(inputs, targets));
    }

    /** R² of the least-squares line through (DEPTHS[i], y[i]). */
    private static double rSquared(double[] y) {
        int n = y.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += DEPTHS[i] / (double) n;
            my += y[i] / n;
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (DEPTHS[i] - mx) * (y[i] - my);
            sxx += (DEPTHS[i] - mx) * (DEPTHS[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy * sxy / (sxx * syy);
    }
}
