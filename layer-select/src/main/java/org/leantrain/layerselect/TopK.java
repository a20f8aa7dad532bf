package org.leantrain.layerselect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Top-k layers by score, descending, with a stable sort: equal scores keep forward order (spec §2). */
final class TopK {
    private TopK() {}

    static List<String> byScore(List<CandidateLayer> candidates, Map<String, Double> scores, int k) {
        checkK(k, candidates.size());
        List<CandidateLayer> sorted = new ArrayList<>(candidates); // forward order
        sorted.sort(Comparator.comparingDouble((CandidateLayer c) -> scores.get(c.name())).reversed()); // stable
        return sorted.subList(0, k).stream().map(CandidateLayer::name).toList();
    }

    static int checkK(int k, int candidates) {
        if (k < 1 || k > candidates) {
            throw new IllegalArgumentException("k must be in [1, " + candidates + "] (the number of candidate layers), got "
                    + k);
        }
        return k;
    }
}
