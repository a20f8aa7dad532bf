package org.leantrain.layerselect;

import java.util.List;
import java.util.Map;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Module;

/** Baseline: top-k by the gradient norm g_l of one labelled batch; needs labels and a backward pass. */
public final class GradientNormSelection extends LabelledBatchSelection {
    public GradientNormSelection(int k, int batchSize) {
        super(k, batchSize);
    }

    @Override
    public String name() {
        return "GradNorm";
    }

    @Override
    Map<String, Double> scores(Module model, List<CandidateLayer> candidates, Dataset batch) {
        return GradientBaselines.gradientNorms(model, candidates, batch);
    }
}
