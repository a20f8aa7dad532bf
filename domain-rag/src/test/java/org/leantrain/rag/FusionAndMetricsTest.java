package org.leantrain.rag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spec §6: reciprocal rank fusion values and tie order, recall and nDCG on hand-made rankings. */
class FusionAndMetricsTest {
    @Test
    void rrfMatchesTheSpecValues() {
        int a = 0;
        int b = 1;
        int c = 2;
        int d = 3;
        List<ReciprocalRankFusion.Scored> fused = ReciprocalRankFusion.fuseWithScores(
                List.of(new int[] {a, b, c}, new int[] {b, c, d}), 60, 100);
        assertArrayEquals(new int[] {b, c, a, d}, fused.stream().mapToInt(ReciprocalRankFusion.Scored::id).toArray());
        assertEquals(0.03252247488101534, fused.get(0).score(), 1e-15);
        assertEquals(0.03200204813108039, fused.get(1).score(), 1e-15);
        assertEquals(0.01639344262295082, fused.get(2).score(), 1e-15);
        assertEquals(0.015873015873015872, fused.get(3).score(), 1e-15);
    }

    @Test
    void rrfTiesGoToTheSmallerIdAndDepthTruncates() {
        assertArrayEquals(new int[] {3, 7}, ReciprocalRankFusion.fuse(List.of(new int[] {7}, new int[] {3})));
        List<ReciprocalRankFusion.Scored> cut = ReciprocalRankFusion.fuseWithScores(List.of(new int[] {5, 6, 7}), 60,
                2);
        assertEquals(2, cut.size());
        assertThrows(IllegalArgumentException.class, () -> ReciprocalRankFusion.fuse(List.of(new int[] {1}), 0));
    }

    @Test
    void ndcgAndRecallOnHandMadeRankings() {
        Map<Integer, Integer> two = Map.of(10, 1, 12, 1);
        assertEquals(0.9197207891481876, RetrievalMetrics.ndcgAt(new int[] {10, 11, 12}, two, 10), 1e-15);
        Map<Integer, Integer> three = Map.of(21, 1, 24, 1, 99, 1);
        assertEquals(0.4776237035032179, RetrievalMetrics.ndcgAt(new int[] {20, 21, 22, 23, 24}, three, 10), 1e-15);
        Map<Integer, Integer> twelve = new HashMap<>();
        int[] top = new int[10];
        for (int i = 0; i < 12; i++) {
            twelve.put(i, 1);
        }
        for (int i = 0; i < 10; i++) {
            top[i] = i;
        }
        assertEquals(1.0, RetrievalMetrics.ndcgAt(top, twelve, 10), 1e-15);
        assertEquals(10.0 / 12, RetrievalMetrics.recallAt(top, twelve, 10), 1e-15);
        assertEquals(0.5, RetrievalMetrics.recallAt(new int[] {10, 10, 10}, two, 10), 1e-15, "distinct documents");
        assertThrows(IllegalArgumentException.class, () -> RetrievalMetrics.recallAt(top, twelve, 0));
        assertThrows(IllegalArgumentException.class, () -> RetrievalMetrics.ndcgAt(top, Map.of(1, 0), 10));
    }
}
