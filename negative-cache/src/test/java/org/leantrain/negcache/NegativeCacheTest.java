package org.leantrain.negcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Spec §6 tests 1–5 (the official cache-manager vectors, through this API) and 15 (fraction refresh). */
class NegativeCacheTest {

    private static INDArray rows(double value, int count, int width) {
        return Nd4j.valueArrayOf(new long[] {count, width}, value, DataType.FLOAT);
    }

    private static int[][] features(int count) {
        return new int[count][1];
    }

    private static void assertEmbeddings(double[][] expected, NegativeCache cache) {
        for (int c = 0; c < expected.length; c++) {
            assertArrayEquals(expected[c], cache.embeddings().getRow(c).toDoubleVector(), 1e-6, "slot " + c);
        }
    }

    @Test
    void insertionFillsTheOldestSlotsSmallerIndexFirst() {
        NegativeCache cache = new NegativeCache(4, 1, 2, EvictionPolicy.LRU);
        cache.insert(features(2), rows(1, 2, 2), new int[] {10, 11}, null);
        cache.tick();
        assertEmbeddings(new double[][] {{1, 1}, {1, 1}, {0, 0}, {0, 0}}, cache);
        assertArrayEquals(new int[] {0, 0, 1, 1}, cache.ages());
        cache.insert(features(2), rows(2, 2, 2), new int[] {12, 13}, null);
        cache.tick();
        assertEmbeddings(new double[][] {{1, 1}, {1, 1}, {2, 2}, {2, 2}}, cache);
        cache.insert(features(2), rows(3, 2, 2), new int[] {14, 15}, null);
        cache.tick();
        assertEmbeddings(new double[][] {{3, 3}, {3, 3}, {2, 2}, {2, 2}}, cache);

        NegativeCache three = new NegativeCache(3, 1, 2, EvictionPolicy.LRU);
        three.insert(features(2), rows(1, 2, 2), new int[] {1, 2}, null);
        three.tick();
        assertArrayEquals(new int[] {0, 0, 1}, three.ages());
        three.insert(features(2), rows(2, 2, 2), new int[] {3, 4}, null);
        three.tick();
        assertEmbeddings(new double[][] {{2, 2}, {1, 1}, {2, 2}}, three);
        assertArrayEquals(new int[] {0, 1, 0}, three.ages());
    }

    @Test
    void refreshUnderLruRestartsTheAgeOfWrittenSlotsOnly() {
        NegativeCache cache = new NegativeCache(4, 1, 1, EvictionPolicy.LRU);
        cache.refresh(new int[] {1, 3}, rows(5, 2, 1), null);
        cache.tick();
        assertEmbeddings(new double[][] {{0}, {5}, {0}, {5}}, cache);
        assertArrayEquals(new int[] {1, 0, 1, 0}, cache.ages());

        NegativeCache masked = new NegativeCache(4, 1, 1, EvictionPolicy.LRU);
        masked.refresh(new int[] {1, 3}, rows(5, 2, 1), new boolean[] {true, false});
        masked.tick();
        assertEmbeddings(new double[][] {{0}, {5}, {0}, {0}}, masked);
        assertArrayEquals(new int[] {1, 0, 1, 1}, masked.ages());

        NegativeCache allMasked = new NegativeCache(4, 1, 1, EvictionPolicy.LRU);
        allMasked.setAges(new int[] {2, 2, 2, 2}, new int[4]);
        allMasked.refresh(new int[] {1, 3}, rows(5, 2, 1), new boolean[] {false, false});
        allMasked.tick();
        assertEmbeddings(new double[][] {{0}, {0}, {0}, {0}}, allMasked);
        assertArrayEquals(new int[] {3, 3, 3, 3}, allMasked.ages());
    }

    @Test
    void refreshUnderFifoKeepsTheAge() {
        NegativeCache cache = new NegativeCache(4, 1, 1, EvictionPolicy.FIFO);
        cache.setAges(new int[] {1, 0, 1, 1}, new int[4]);
        cache.refresh(new int[] {1, 3}, rows(7, 2, 1), null);
        cache.tick();
        assertEmbeddings(new double[][] {{0}, {7}, {0}, {7}}, cache);
        assertArrayEquals(new int[] {2, 1, 2, 2}, cache.ages());
    }

    @Test
    void refreshThenInsertWithinOneStep() {
        // feature-a of the official test is the embedding, feature-b the integer feature.
        NegativeCache cache = new NegativeCache(3, 1, 1, EvictionPolicy.LRU);
        cache.insert(new int[][] {{1}, {2}, {4}}, Nd4j.createFromArray(new float[][] {{0}, {0}, {3}}),
                new int[] {0, 1, 2}, null);
        cache.setAges(new int[] {2, 1, 0}, new int[3]);
        cache.refresh(new int[] {0}, Nd4j.createFromArray(new float[][] {{10}}), null);
        cache.insert(new int[][] {{12}}, Nd4j.createFromArray(new float[][] {{11}}), new int[] {3}, null);
        cache.tick();
        assertEmbeddings(new double[][] {{10}, {11}, {3}}, cache);
        assertArrayEquals(new int[] {1}, cache.features(0));
        assertArrayEquals(new int[] {12}, cache.features(1));
        assertArrayEquals(new int[] {4}, cache.features(2));
        assertArrayEquals(new int[] {0, 0, 1}, cache.ages());
    }

    @Test
    void maskedInsertPutsTheJthKeptItemIntoTheJthOldestSlot() {
        NegativeCache cache = new NegativeCache(4, 1, 1, EvictionPolicy.LRU);
        cache.setAges(new int[] {3, 1, 2, 0}, new int[4]);
        int[] written = cache.insert(new int[][] {{1}, {2}, {3}}, Nd4j.createFromArray(new float[][] {{1}, {2}, {3}}),
                new int[] {1, 2, 3}, new boolean[] {false, true, true});
        cache.tick();
        assertArrayEquals(new int[] {0, 2}, written);
        assertEmbeddings(new double[][] {{2}, {0}, {3}, {0}}, cache);
        assertArrayEquals(new int[] {0, 2, 0, 1}, cache.ages());
        assertEquals(2, cache.validCount());
    }

    @Test
    void fractionRefreshPicksTheOldestEmbeddings() {
        NegativeCache cache = new NegativeCache(10, 1, 1, EvictionPolicy.LRU);
        cache.insert(features(10), rows(1, 10, 1), java.util.stream.IntStream.range(0, 10).toArray(), null);
        cache.setAges(new int[10], new int[] {5, 9, 1, 9, 0, 2, 7, 3, 4, 6});
        int k = (int) Math.ceil(0.3 * cache.capacity());
        assertArrayEquals(new int[] {1, 3, 6}, cache.oldestByEmbeddingAge(k));
    }

    @Test
    void badInputsNameTheProblem() {
        assertThrows(IllegalArgumentException.class, () -> new NegativeCache(0, 1, 1, EvictionPolicy.LRU));
        NegativeCache cache = new NegativeCache(4, 2, 3, EvictionPolicy.LRU);
        assertThrows(IllegalArgumentException.class, () -> cache.refresh(new int[] {4}, rows(1, 1, 3), null));
        assertThrows(IllegalArgumentException.class, () -> cache.refresh(new int[] {-1}, rows(1, 1, 3), null));
        assertThrows(IllegalArgumentException.class, () -> cache.refresh(new int[] {0}, rows(1, 1, 2), null));
        assertThrows(IllegalArgumentException.class,
                () -> cache.refresh(new int[] {0}, rows(Double.NaN, 1, 3), null));
        assertThrows(IllegalArgumentException.class,
                () -> cache.insert(new int[][] {{1}}, rows(1, 1, 3), new int[] {0}, null));
        assertThrows(IllegalArgumentException.class,
                () -> cache.insert(new int[][] {{1, 2}}, rows(1, 1, 3), new int[] {0}, new boolean[] {true, true}));
    }

    @Test
    void theFewOldestSlotsBySelectionAgreeWithTheFullSort() {
        // k <= 64 scans once, larger k sorts: both order by age descending, ties by the smaller index
        NegativeCache cache = new NegativeCache(300, 1, 1, EvictionPolicy.LRU);
        org.leantrain.core.util.Rng rng = new org.leantrain.core.util.Rng(3);
        int[] ages = new int[300];
        for (int c = 0; c < ages.length; c++) {
            ages[c] = rng.nextInt(40) - 1; // many ties
        }
        cache.setAges(ages, ages.clone());
        int[] sorted = cache.oldestByAge(200);
        for (int k : new int[] {0, 1, 8, 64}) {
            assertArrayEquals(java.util.Arrays.copyOf(sorted, k), cache.oldestByAge(k), "k = " + k);
        }
        for (int i = 1; i < sorted.length; i++) {
            boolean ordered = ages[sorted[i - 1]] > ages[sorted[i]]
                    || ages[sorted[i - 1]] == ages[sorted[i]] && sorted[i - 1] < sorted[i];
            assertEquals(true, ordered, "position " + i);
        }
    }
}
