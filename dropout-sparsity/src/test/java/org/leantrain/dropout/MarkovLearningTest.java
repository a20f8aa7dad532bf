package org.leantrain.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Spec §6 test 7: on an order-2 Markov chain with a known entropy rate, structured dropout learns as well as
 * standard dropout: both within 0.10 bits of the entropy rate after 300 steps, within 0.05 of each other.
 */
@Tag("slow")
class MarkovLearningTest {

    @Test
    void structuredAndZarembaReachTheEntropyRate() {
        LmCorpus corpus = LmCorpus.markovSynthetic(8, 2, 0.1, 11, 400_000, 50_000);
        double rate = corpus.entropyRateBits();
        LmConfig config = new LmConfig(8, 32, 128, 1, 50, 32, DropoutConfig.of(0.25, 5), 5, 3e-3, DataType.FLOAT);
        double[] bpc = new double[2];
        Variant[] variants = {Variant.STRUCTURED, Variant.ZAREMBA};
        for (int v = 0; v < 2; v++) {
            LstmLanguageModel model = new LstmLanguageModel(config, new Rng(3));
            TrainReport report = new LmTrainer(model, variants[v]).train(corpus.train(), 300, corpus.valid(), 300, null);
            bpc[v] = report.finalValidBpc();
        }
        String summary = String.format("entropy rate %.3f, structured %.3f, zaremba %.3f", rate, bpc[0], bpc[1]);
        assertTrue(bpc[0] <= rate + 0.10, summary);
        assertTrue(bpc[1] <= rate + 0.10, summary);
        assertEquals(bpc[0], bpc[1], 0.05, summary);
        System.out.println("MarkovLearningTest: " + summary);
    }
}
