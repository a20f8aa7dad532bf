package org.leantrain.layerselect;

import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Module;
import org.leantrain.core.util.Rng;

/** Chooses which candidate layers of a pretrained model to train on the target data (spec §4–5). */
public interface LayerSelectionStrategy {
    /** A short label for tables ("AdaBet", "LastK(2)"). */
    String name();

    /**
     * Picks the trainable layers. Gradient-free strategies read only {@code target.features()}; gradient-based
     * ones also read labels. The model's parameters are left as they were.
     */
    Selection select(Module model, Dataset target, Rng rng);
}
