package org.leantrain.layerselect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.leantrain.core.nn.Module;

/** Finds the candidate layers of a model (spec §3A.1): leaf modules with parameters, in registration order. */
public final class CandidateLayers {
    private CandidateLayers() {}

    public static List<CandidateLayer> discover(Module model) {
        List<CandidateLayer> found = new ArrayList<>();
        walk("", model, found);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("the model has no candidate layers (no leaf module owns parameters); "
                    + "layer selection needs at least one");
        }
        return List.copyOf(found);
    }

    private static void walk(String path, Module module, List<CandidateLayer> into) {
        Map<String, Module> children = module.children();
        if (children.isEmpty()) {
            long params = module.parameterCount();
            if (params > 0) {
                into.add(new CandidateLayer(path.isEmpty() ? "model" : path, module, into.size(), params));
            }
            return;
        }
        children.forEach((name, child) -> walk(path.isEmpty() ? name : path + "." + name, child, into));
    }

    /** The candidates named in layers, each of which must exist. */
    public static List<CandidateLayer> named(List<CandidateLayer> candidates, List<String> layers) {
        List<CandidateLayer> out = new ArrayList<>();
        for (String layer : layers) {
            out.add(candidates.stream().filter(c -> c.name().equals(layer)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown layer '" + layer + "'; the candidates are "
                            + candidates.stream().map(CandidateLayer::name).toList())));
        }
        return out;
    }
}
