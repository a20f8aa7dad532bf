package org.leantrain.rag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack et al. 2009): s(d) = Σ_k 1/(K + rank_k(d)), ranks from 1, each list truncated at
 * a depth, absent documents contributing 0; fused order by descending score, ties by ascending document id.
 */
public final class ReciprocalRankFusion {
    public static final int K = 60;
    public static final int DEPTH = 100;

    private ReciprocalRankFusion() {}

    /** A fused document and its score. */
    public record Scored(int id, double score) {}

    public static List<Scored> fuseWithScores(List<int[]> rankings, int k, int depth) {
        if (k <= 0) {
            throw new IllegalArgumentException("RRF constant K must be > 0, got " + k);
        }
        if (depth < 1) {
            throw new IllegalArgumentException("RRF depth must be ≥ 1, got " + depth);
        }
        Map<Integer, Double> scores = new HashMap<>();
        for (int[] ranking : rankings) {
            for (int r = 0; r < Math.min(depth, ranking.length); r++) {
                scores.merge(ranking[r], 1.0 / (k + r + 1), Double::sum);
            }
        }
        List<Scored> out = new ArrayList<>();
        scores.forEach((id, s) -> out.add(new Scored(id, s)));
        out.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score()) : Integer.compare(a.id(), b.id()));
        return out;
    }

    /** Fused ids with the spec's K = 60 and depth 100. */
    public static int[] fuse(List<int[]> rankings) {
        return fuse(rankings, K);
    }

    public static int[] fuse(List<int[]> rankings, int k) {
        return fuseWithScores(rankings, k, DEPTH).stream().mapToInt(Scored::id).toArray();
    }
}
