package org.leantrain.rag;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Spec §9: every bad input fails with a message that names it. */
class BadInputTest {
    private static String message(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void grpoSettings() {
        assertTrue(message(() -> new GrpoConfig(GrpoObjective.Variant.GRPO, 60, 8, 1, 0.04, 0.2, 1, 3e-4, 0.1, 1, 0.9,
                FusionMode.MSLF, 10, true)).contains("G ≥ 2"));
        assertTrue(message(() -> new GrpoConfig(GrpoObjective.Variant.GRPO, 60, 8, 8, -0.1, 0.2, 1, 3e-4, 0.1, 1, 0.9,
                FusionMode.MSLF, 10, true)).contains("β"));
        for (double eps : new double[] {0, 1}) {
            assertTrue(message(() -> new GrpoConfig(GrpoObjective.Variant.GRPO, 60, 8, 8, 0.04, eps, 1, 3e-4, 0.1, 1,
                    0.9, FusionMode.MSLF, 10, true)).contains("ε"));
        }
    }

    @Test
    void corpusQueriesAndPipeline() {
        assertTrue(message(() -> new Corpus(List.of(), List.of(), List.of())).contains("at least one document"));
        assertTrue(message(() -> new Query("q1", "", "name", Map.of(0, 2))).contains("empty"));
        SyntheticWorld world = new SyntheticWorld(WorldConfig.quick(0));
        WordTokenizer tok = new WordTokenizer(world.vocabulary());
        try (Bm25Index idx = Bm25Index.of(world.domainCorpus())) {
            assertTrue(message(() -> new QueryExpansionPipeline(tok, idx, 0)).contains("n must be ≥ 1"));
        }
    }

    @Test
    void sequencesLongerThanTheContext() {
        TinyCausalLm lm = new TinyCausalLm(new LmConfig(12, 8, 1, 2, 16, 10), DataType.DOUBLE, new Rng(0));
        assertTrue(message(() -> Generator.generate(lm, List.of(new int[10]), SamplingConfig.rollout(4), new Rng(1), 2))
                .contains("shorter than the context"));
        assertTrue(message(() -> LmBatch.of(List.of(new int[12]), 10)).contains("longer than the context"));
    }
}
