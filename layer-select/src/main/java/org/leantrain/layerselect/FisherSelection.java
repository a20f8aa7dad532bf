package org.leantrain.layerselect;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Module;
import org.leantrain.core.util.Rng;

/** Baseline: top-k by the Fisher proxy F_l of one labelled batch (the reference code's gradient-based baseline); needs labels and a backward pass. */
public final class FisherSelection implements LayerSelectionStrategy {
    private final int k;
    private final int batchSize;

    public FisherSelection(int k, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.k = k;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return "Fisher";
    }

    @Override
    public Selection select(Module model, Dataset target, Rng rng) {
        long start = System.nanoTime();
        List<CandidateLayer> candidates = CandidateLayers.discover(model);
        TopK.checkK(k, candidates.size());
        Map<String, Double> scores = GradientBaselines.fisher(model, candidates, Batches.one(target, batchSize, rng));
        return new Selection(name(), TopK.byScore(candidates, scores, k), scores,
                Duration.ofNanos(System.nanoTime() - start));
    }
}
