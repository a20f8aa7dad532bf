package org.leantrain.layerselect;

import java.util.List;
import java.util.Map;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Module;

/** Baseline: top-k by the Fisher proxy F_l of one labelled batch (the reference code's gradient-based baseline); needs labels and a backward pass. */
public final class FisherSelection extends LabelledBatchSelection {
    public FisherSelection(int k, int batchSize) {
        super(k, batchSize);
    }

    @Override
    public String name() {
        return "Fisher";
    }

    @Override
    Map<String, Double> scores(Module model, List<CandidateLayer> candidates, Dataset batch) {
        return GradientBaselines.fisher(model, candidates, batch);
    }
}
