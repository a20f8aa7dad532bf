package org.leantrain.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** GRPO rollouts end to end on a tiny untrained LM: accounting of LM calls per sample and sane logs. */
class GrpoTrainerTest {
    @Test
    void mslfRolloutsMakeTwoCallsPerSampleAndMmlfFour() {
        SyntheticWorld world = new SyntheticWorld(WorldConfig.quick(0));
        WordTokenizer tok = new WordTokenizer(world.vocabulary());
        try (Bm25Index idx = Bm25Index.of(world.domainCorpus())) {
            QueryExpansionPipeline pipe = new QueryExpansionPipeline(tok, idx, 3);
            for (FusionMode mode : FusionMode.values()) {
                TinyCausalLm lm = new TinyCausalLm(new LmConfig(tok.size(), 16, 1, 2, 32, 80), DataType.FLOAT,
                        new Rng(1));
                GrpoConfig cfg = new GrpoConfig(GrpoObjective.Variant.GRPO, 2, 2, 4, 0.04, 0.2, 2, 1e-3, 0.1, 1.0, 0.9,
                        mode, 10, true);
                GrpoTrainer.RlLog log = GrpoTrainer.train(lm, world.domainCorpus().trainQueries(), pipe, tok, cfg,
                        new Rng(2), "grpo test");
                int samples = 2 * 2 * 4;
                assertEquals(mode == FusionMode.MSLF ? 2 * samples : 4 * samples, log.lmCalls(), mode.name());
                for (int s = 0; s < 2; s++) {
                    assertTrue(log.meanReward()[s] >= 0 && log.meanReward()[s] <= 1);
                    assertTrue(log.meanKl()[s] >= 0);
                    assertTrue(log.zeroVarianceFraction()[s] >= 0 && log.zeroVarianceFraction()[s] <= 1);
                    assertTrue(log.mqrLength()[s] >= 1 && log.mqrLength()[s] <= QueryExpansionPipeline.MQR_TOKENS);
                }
                assertEquals(0, log.meanKl()[0], 1e-12, "the first rollout is sampled from π_ref itself");
            }
        }
    }
}
