package org.leantrain.rag;

import java.util.List;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.StepMemory;

/** exp(mean next-token negative log-likelihood over every predicted token of a fixed set of sequences). */
public final class Perplexity {
    private Perplexity() {}

    public static double of(TinyCausalLm lm, List<int[]> sequences) {
        double nll = 0;
        long count = 0;
        for (int from = 0; from < sequences.size(); from += 32) {
            LmBatch batch = LmBatch.of(sequences.subList(from, Math.min(sequences.size(), from + 32)),
                    lm.config().context());
            try (GradMode.Scope ignored = GradMode.noGrad(); StepMemory step = StepMemory.open()) {
                nll -= lm.tokenLogProbs(batch.ids(), batch.lengths()).sum().item();
            }
            for (int len : batch.lengths()) {
                count += len - 1;
            }
        }
        return Math.exp(nll / count);
    }
}
