package org.leantrain.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfOddAndEvenCountsAndNaNLast() {
        assertEquals(2.0, Stats.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertTrue(Double.isNaN(Stats.median(List.of(Double.NaN, 1.0, Double.NaN))));
        assertThrows(IllegalArgumentException.class, () -> Stats.median(List.of()));
    }

    @Test
    void meansOverClampedRanges() {
        double[] v = {1, 2, 3, 4, 5};
        assertEquals(3.0, Stats.mean(v));
        assertEquals(1.5, Stats.meanOfFirst(v, 2));
        assertEquals(4.5, Stats.meanOfLast(v, 2));
        assertEquals(3.0, Stats.meanOfLast(v, 10));
        assertEquals(2.5, Stats.mean(v, -3, 4));
        assertTrue(Double.isNaN(Stats.mean(new double[0])));
    }
}
