package org.leantrain.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** The per-group statistics on hand-made groups, and the per-type table of a tiny untrained LM's rollouts. */
class RolloutDiagnosticsTest {
    private static final List<String> A = List.of("x ; y");
    private static final List<String> B = List.of("z");

    @Test
    void varianceBetweenSubQueryListsIsSplitOffExactly() {
        // lists A A B B with rewards 1 1 0 0: all variance lies between the lists
        RolloutDiagnostics.Group between = RolloutDiagnostics.Group.of(List.of(A, A, B, B), new double[] {1, 1, 0, 0});
        assertEquals(0.5, between.mean(), 0);
        assertEquals(2, between.distinct());
        assertEquals(1.0, between.totalSquares(), 1e-15);
        assertEquals(1.0, between.betweenSquares(), 1e-15);
        assertFalse(between.zeroVariance());
        // rewards 1 0 1 0 on the same lists: none of it does (equal list means)
        RolloutDiagnostics.Group within = RolloutDiagnostics.Group.of(List.of(A, A, B, B), new double[] {1, 0, 1, 0});
        assertEquals(1.0, within.totalSquares(), 1e-15);
        assertEquals(0.0, within.betweenSquares(), 1e-15);
        // 0.2, 0.4 on A and 0.6 on B: mean 0.4, total 0.08, between 2·0.1² + 0.2² = 0.06
        RolloutDiagnostics.Group mixed = RolloutDiagnostics.Group.of(List.of(A, A, B), new double[] {0.2, 0.4, 0.6});
        assertEquals(0.08, mixed.totalSquares(), 1e-15);
        assertEquals(0.06, mixed.betweenSquares(), 1e-15);
        RolloutDiagnostics.Group flat = RolloutDiagnostics.Group.of(List.of(A, B, A), new double[] {0.6, 0.6, 0.6});
        assertTrue(flat.zeroVariance());
        assertEquals(0.0, flat.totalSquares(), 0);
        assertThrows(IllegalArgumentException.class, () -> RolloutDiagnostics.Group.of(List.of(A), new double[2]));
    }

    @Test
    void meanRewardWeightsTypesByTheirQueries() {
        List<RolloutDiagnostics.TypeStats> stats = List.of(
                new RolloutDiagnostics.TypeStats("code", 3, 0.2, 0, 1, 0, 0),
                new RolloutDiagnostics.TypeStats("name", 1, 0.6, 0, 1, 0, 0));
        assertEquals((3 * 0.2 + 0.6) / 4, RolloutDiagnostics.meanReward(stats), 1e-15);
    }

    @Test
    void perTypeTableOfATinyModel() {
        SyntheticWorld world = new SyntheticWorld(WorldConfig.quick(0));
        WordTokenizer tok = new WordTokenizer(world.vocabulary());
        List<Query> queries = world.domainCorpus().trainQueries().subList(0, 12);
        TinyCausalLm lm = new TinyCausalLm(new LmConfig(tok.size(), 16, 1, 2, 32, 80), DataType.FLOAT, new Rng(1));
        try (Bm25Index idx = Bm25Index.of(world.domainCorpus())) {
            QueryExpansionPipeline pipe = new QueryExpansionPipeline(tok, idx, 3);
            for (int g : new int[] {2, 4}) {
                GrpoConfig cfg = new GrpoConfig(GrpoObjective.Variant.GRPO, 1, 5, g, 0.04, 0.2, 1, 1e-3, 0.1, 1.0, 0.9,
                        FusionMode.MSLF, 10, true);
                List<RolloutDiagnostics.TypeStats> stats = RolloutDiagnostics.measure(lm, tok, pipe, world, queries,
                        cfg, new Rng(3));
                assertEquals(12, stats.stream().mapToInt(RolloutDiagnostics.TypeStats::queries).sum());
                assertEquals(List.of("attr", "code", "name", "who"),
                        stats.stream().map(RolloutDiagnostics.TypeStats::type).toList(), "sorted by type");
                for (RolloutDiagnostics.TypeStats t : stats) {
                    assertTrue(t.reward() >= 0 && t.reward() <= 1, t.toString());
                    assertTrue(t.facetRecall() >= 0 && t.facetRecall() <= 1, t.toString());
                    assertTrue(t.distinctSubQueryLists() >= 1 && t.distinctSubQueryLists() <= g, t.toString());
                    assertTrue(t.zeroVarianceGroups() >= 0 && t.zeroVarianceGroups() <= 1, t.toString());
                    // NaN exactly when no group of the type has reward variance
                    assertEquals(t.zeroVarianceGroups() == 1, Double.isNaN(t.subQueryShareOfVariance()), t.toString());
                    if (t.zeroVarianceGroups() < 1) {
                        assertTrue(t.subQueryShareOfVariance() >= 0 && t.subQueryShareOfVariance() <= 1 + 1e-12);
                    }
                }
            }
        }
    }
}
