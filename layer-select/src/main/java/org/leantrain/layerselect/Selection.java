package org.leantrain.layerselect;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The layers a strategy chose to train, the score of every candidate, the time it took, and the layers forced
 * trainable outside the k budget ({@link #withAlwaysTrain}).
 */
public record Selection(String strategy, List<String> trainable, Map<String, Double> scores, Duration selectionTime,
        List<String> forced) {
    public Selection {
        trainable = List.copyOf(trainable);
        scores = Map.copyOf(scores);
        forced = List.copyOf(forced);
    }

    public Selection(String strategy, List<String> trainable, Map<String, Double> scores, Duration selectionTime) {
        this(strategy, trainable, scores, selectionTime, List.of());
    }

    /**
     * The {@code alwaysTrain} option of spec §9: layers that must train whatever the strategy chose (a freshly
     * initialised head for new classes is useless frozen), added outside the k budget and reported in {@link #forced}.
     */
    public Selection withAlwaysTrain(List<String> layers) {
        List<String> all = new java.util.ArrayList<>(trainable);
        List<String> added = new java.util.ArrayList<>(forced);
        for (String layer : layers) {
            if (!all.contains(layer)) {
                all.add(layer);
                added.add(layer);
            }
        }
        return new Selection(strategy, all, scores, selectionTime, added);
    }
}
