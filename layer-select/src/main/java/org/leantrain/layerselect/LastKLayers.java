package org.leantrain.layerselect;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Module;
import org.leantrain.core.util.Rng;

/** Baseline: the k last candidates in forward order (k = 1 is "head only"). */
public final class LastKLayers implements LayerSelectionStrategy {
    private final int k;

    public LastKLayers(int k) {
        this.k = k;
    }

    @Override
    public String name() {
        return k == 1 ? "HeadOnly" : "LastK(" + k + ")";
    }

    @Override
    public Selection select(Module model, Dataset target, Rng rng) {
        List<CandidateLayer> all = CandidateLayers.discover(model);
        TopK.checkK(k, all.size());
        return new Selection(name(), all.subList(all.size() - k, all.size()).stream().map(CandidateLayer::name).toList(),
                Map.of(), Duration.ZERO);
    }
}
