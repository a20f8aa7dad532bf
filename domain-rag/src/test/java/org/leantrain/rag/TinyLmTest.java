package org.leantrain.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.GradCheck;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** The tiny LM: padding invariance, initial loss, gradient checks of the fused gather and of L_KL through the LM. */
class TinyLmTest {
    private static final LmConfig SMALL = new LmConfig(12, 8, 1, 2, 16, 10);

    @Test
    void rightPaddingLeavesLogProbsUnchanged() {
        TinyCausalLm lm = new TinyCausalLm(SMALL, DataType.DOUBLE, new Rng(1));
        int[] seq = {1, 5, 7, 3, 9};
        double[] alone = lm.tokenLogProbs(new int[][] {seq}, new int[] {5}).value().toDoubleVector();
        LmBatch padded = LmBatch.of(List.of(seq, new int[] {1, 4, 4, 6, 8, 2, 11, 3}), SMALL.context());
        double[][] both = lm.tokenLogProbs(padded.ids(), padded.lengths()).value().toDoubleMatrix();
        for (int j = 0; j < 4; j++) {
            assertEquals(alone[j], both[0][j], 1e-12, "token " + j);
        }
        for (int j = 4; j < both[0].length; j++) {
            assertEquals(0, both[0][j], 0, "padding carries nothing");
        }
    }

    @Test
    void initialLossIsNearLogVocabulary() {
        TinyCausalLm lm = new TinyCausalLm(new LmConfig(900, 64, 2, 4, 256, 80), DataType.FLOAT, new Rng(0));
        Rng rng = new Rng(2);
        List<int[]> seqs = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int[] s = new int[30];
            for (int j = 0; j < s.length; j++) {
                s[j] = 8 + rng.nextInt(890);
            }
            seqs.add(s);
        }
        double loss = LmLosses.crossEntropy(lm, LmBatch.of(seqs, 80)).item();
        assertEquals(Math.log(900), loss, 0.1, "initial loss " + loss + " (ln |V| = " + Math.log(900) + ")");
    }

    @Test
    void fusedGatherPassesTheGradientCheck() {
        int[] targets = {2, -1, 0, 4};
        GradCheck.of(1e-6, 1e-6, 1e-9).check(in -> TargetLogProbs.of(in[0], targets).mul(Tensor.of(
                org.nd4j.linalg.factory.Nd4j.create(new double[] {1, 2, 3, 4}))).sum(),
                new Rng(4).normal(DataType.DOUBLE, 0, 1, 4, 5));
    }

    @Test
    void molKlThroughTheLmPassesTheGradientCheck() {
        TinyCausalLm base = new TinyCausalLm(SMALL, DataType.DOUBLE, new Rng(7));
        TinyCausalLm lm = base.copy();
        lm.train(true);
        // move the policy away from the base so the KL and its gradient are not zero
        Rng rng = new Rng(8);
        for (Tensor p : lm.parameters()) {
            p.value().addi(rng.normal(DataType.DOUBLE, 0, 0.05, p.shape()));
        }
        LmBatch batch = LmBatch.of(List.of(new int[] {1, 5, 7, 3}, new int[] {1, 2, 9, 9, 10, 2}), SMALL.context());
        for (KlToBase.Direction d : KlToBase.Direction.values()) {
            assertTrue(LmLosses.klToBase(lm, base, batch, d).item() > 0);
            GradCheck.of(1e-6, 1e-5, 1e-9).checkParameters(() -> LmLosses.klToBase(lm, base, batch, d),
                    List.of(lm.parameters().get(0), lm.parameters().get(3)));
        }
        TinyCausalLm same = base.copy();
        assertEquals(0, LmLosses.klToBase(same, base, batch, KlToBase.Direction.POLICY_TO_BASE).item(), 1e-15);
    }

    @Test
    void badSequencesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LmBatch.of(List.of(new int[11]), 10));
        assertThrows(IllegalArgumentException.class, () -> LmBatch.of(List.of(), 10));
        TinyCausalLm lm = new TinyCausalLm(SMALL, DataType.DOUBLE, new Rng(1));
        assertThrows(IllegalArgumentException.class, () -> lm.logits(new int[][] {new int[11]}));
    }
}
