package org.leantrain.layerselect;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Module;
import org.leantrain.core.util.Rng;

/** A gradient-based baseline: top-k layers by a score computed from one labelled batch (spec §5). */
abstract class LabelledBatchSelection implements LayerSelectionStrategy {
    private final int k;
    private final int batchSize;

    LabelledBatchSelection(int k, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.k = k;
        this.batchSize = batchSize;
    }

    /** The score of every candidate on the labelled batch. */
    abstract Map<String, Double> scores(Module model, List<CandidateLayer> candidates, Dataset batch);

    @Override
    public final Selection select(Module model, Dataset target, Rng rng) {
        long start = System.nanoTime();
        List<CandidateLayer> candidates = CandidateLayers.discover(model);
        TopK.checkK(k, candidates.size());
        Map<String, Double> scores = scores(model, candidates, Batches.one(target, batchSize, rng));
        return new Selection(name(), TopK.byScore(candidates, scores, k), scores,
                Duration.ofNanos(System.nanoTime() - start));
    }
}
