package org.leantrain.layerselect;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Module;
import org.leantrain.core.util.Rng;

/** Sanity control: k candidates drawn uniformly with the given seeded RNG, listed in forward order. */
public final class RandomLayers implements LayerSelectionStrategy {
    private final int k;

    public RandomLayers(int k) {
        this.k = k;
    }

    @Override
    public String name() {
        return "Random(" + k + ")";
    }

    @Override
    public Selection select(Module model, Dataset target, Rng rng) {
        List<CandidateLayer> all = CandidateLayers.discover(model);
        TopK.checkK(k, all.size());
        int[] picked = Arrays.copyOf(rng.permutation(all.size()), k);
        Arrays.sort(picked);
        return new Selection(name(), Arrays.stream(picked).mapToObj(i -> all.get(i).name()).toList(), Map.of(),
                Duration.ZERO);
    }
}
