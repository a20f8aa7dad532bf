package org.leantrain.rag;

import java.util.Map;

/** A query with its type (attr, code, who, name) and graded relevance judgements (document id → grade ≥ 1). */
public record Query(String id, String text, String type, Map<Integer, Integer> qrels) {
    public Query {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("query " + id + " is empty");
        }
        if (qrels.values().stream().noneMatch(g -> g > 0)) {
            throw new IllegalArgumentException("query " + id + " has no relevant document (grade > 0)");
        }
        qrels = Map.copyOf(qrels);
    }
}
