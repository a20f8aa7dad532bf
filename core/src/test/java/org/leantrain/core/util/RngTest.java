package org.leantrain.core.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class RngTest {
    @Test
    void sameSeedSameNumbersAndRestoreReplays() {
        Rng a = new Rng(42);
        Rng b = new Rng(42);
        assertEquals(a.normal(DataType.DOUBLE, 0, 1, 5), b.normal(DataType.DOUBLE, 0, 1, 5));
        long state = a.state();
        double[] first = {a.nextDouble(), a.nextGaussian(), a.nextInt(10)};
        a.restore(state);
        assertArrayEquals(first, new double[] {a.nextDouble(), a.nextGaussian(), a.nextInt(10)});
        assertNotEquals(new Rng(1).nextLong(), new Rng(2).nextLong());
    }

    @Test
    void momentsAndPermutation() {
        Rng r = new Rng(1);
        int n = 200_000;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            sum += g;
            sq += g * g;
        }
        assertEquals(0, sum / n, 0.01);
        assertEquals(1, sq / n, 0.01);
        int[] p = r.permutation(1000);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
    }
}
