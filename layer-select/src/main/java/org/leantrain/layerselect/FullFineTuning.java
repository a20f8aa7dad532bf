package org.leantrain.layerselect;

import java.time.Duration;
import java.util.Map;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Module;
import org.leantrain.core.util.Rng;

/** Baseline: every candidate layer is trained. */
public final class FullFineTuning implements LayerSelectionStrategy {
    @Override
    public String name() {
        return "Full";
    }

    @Override
    public Selection select(Module model, Dataset target, Rng rng) {
        return new Selection(name(), CandidateLayers.discover(model).stream().map(CandidateLayer::name).toList(),
                Map.of(), Duration.ZERO);
    }
}
