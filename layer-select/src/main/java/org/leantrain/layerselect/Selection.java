package org.leantrain.layerselect;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The layers a strategy chose to train (forward order), the score of every candidate, and the time it took. */
public record Selection(String strategy, List<String> trainable, Map<String, Double> scores, Duration selectionTime) {
    public Selection {
        trainable = List.copyOf(trainable);
        scores = Map.copyOf(scores);
    }
}
