package org.leantrain.rag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.leantrain.core.util.Rng;

/**
 * Where GRPO's learning signal comes from, per query type: G rollouts for every training query, sampled and scored
 * as {@link GrpoTrainer} samples and scores them (rollout temperature, MSLF, reward Recall@k). A group whose rewards
 * are all equal has zero advantages and teaches nothing; the share of a group's reward variance that lies between its
 * distinct sub-query lists is the part of the signal that reaches the MQR completion (identical completions with
 * opposite advantages cancel).
 */
public final class RolloutDiagnostics {
    private RolloutDiagnostics() {}

    /**
     * One query type: mean reward, fraction of groups with equal rewards, distinct sub-query lists per group, the
     * pooled share of within-group reward variance between sub-query lists (NaN without variance), and the fraction
     * of the true facets (entity, its two conditions) among the sub-queries.
     */
    public record TypeStats(String type, int queries, double reward, double zeroVarianceGroups,
            double distinctSubQueryLists, double subQueryShareOfVariance, double facetRecall) {}

    /**
     * One group: mean reward, whether all rewards are equal, the number of distinct sub-query lists, and the total
     * and between-list sums of squared deviations from the group mean.
     */
    public record Group(double mean, boolean zeroVariance, int distinct, double totalSquares, double betweenSquares) {
        public static Group of(List<List<String>> subQueries, double[] rewards) {
            if (subQueries.size() != rewards.length || rewards.length == 0) {
                throw new IllegalArgumentException("a group needs one sub-query list per reward, got "
                        + subQueries.size() + " lists and " + rewards.length + " rewards");
            }
            double mean = 0;
            for (double r : rewards) {
                mean += r / rewards.length;
            }
            double total = 0;
            boolean equal = true;
            Map<List<String>, double[]> byList = new HashMap<>(); // sum, count
            for (int i = 0; i < rewards.length; i++) {
                total += (rewards[i] - mean) * (rewards[i] - mean);
                equal &= rewards[i] == rewards[0];
                double[] acc = byList.computeIfAbsent(subQueries.get(i), k -> new double[2]);
                acc[0] += rewards[i];
                acc[1]++;
            }
            double between = 0;
            for (double[] acc : byList.values()) {
                double m = acc[0] / acc[1];
                between += acc[1] * (m - mean) * (m - mean);
            }
            return new Group(mean, equal, byList.size(), total, between);
        }
    }

    /** The mean reward over every query of a table (each type weighted by its query count). */
    public static double meanReward(List<TypeStats> stats) {
        double sum = 0;
        int n = 0;
        for (TypeStats t : stats) {
            sum += t.reward() * t.queries();
            n += t.queries();
        }
        return sum / n;
    }

    /** Statistics per query type (sorted by type) over {@code queries}, each sampled {@code cfg.groupSize()} times. */
    public static List<TypeStats> measure(TinyCausalLm lm, WordTokenizer tok, QueryExpansionPipeline pipe,
            SyntheticWorld world, List<Query> queries, GrpoConfig cfg, Rng rng) {
        TextGenerator sampler = TextGenerator.of(lm, tok);
        SamplingConfig rollout = new SamplingConfig(cfg.temperature(), 0, 1.0, QueryExpansionPipeline.MQR_TOKENS);
        int g = cfg.groupSize();
        Map<String, List<Group>> groups = new TreeMap<>();
        Map<String, double[]> facets = new TreeMap<>(); // found, total
        lm.eval();
        for (int start = 0; start < queries.size(); start += cfg.queriesPerStep()) {
            List<Query> batch = queries.subList(start, Math.min(queries.size(), start + cfg.queriesPerStep()));
            List<String> texts = new ArrayList<>();
            for (Query q : batch) {
                for (int i = 0; i < g; i++) {
                    texts.add(q.text());
                }
            }
            List<QueryExpansionPipeline.Expansion> ex = pipe.expand(sampler, texts, cfg.rolloutMode(), rollout, rng);
            for (int p = 0; p < batch.size(); p++) {
                Query q = batch.get(p);
                List<String> truth = world.oracleSubQueries(q);
                double[] f = facets.computeIfAbsent(q.type(), k -> new double[2]);
                List<List<String>> lists = new ArrayList<>();
                double[] rewards = new double[g];
                for (int i = 0; i < g; i++) {
                    QueryExpansionPipeline.Expansion e = ex.get(p * g + i);
                    lists.add(e.subQueries());
                    rewards[i] = RetrievalMetrics.recallAt(e.fused(), q.qrels(), cfg.rewardK());
                    for (String facet : truth) {
                        f[0] += e.subQueries().contains(facet) ? 1 : 0;
                    }
                    f[1] += truth.size();
                }
                groups.computeIfAbsent(q.type(), k -> new ArrayList<>()).add(Group.of(lists, rewards));
            }
        }
        List<TypeStats> out = new ArrayList<>();
        groups.forEach((type, list) -> {
            double reward = 0;
            double zero = 0;
            double distinct = 0;
            double total = 0;
            double between = 0;
            for (Group gr : list) {
                reward += gr.mean();
                zero += gr.zeroVariance() ? 1 : 0;
                distinct += gr.distinct();
                total += gr.totalSquares();
                between += gr.betweenSquares();
            }
            int n = list.size();
            double[] f = facets.get(type);
            out.add(new TypeStats(type, n, reward / n, zero / n, distinct / n, total > 0 ? between / total : Double.NaN,
                    f[0] / f[1]));
        });
        return out;
    }
}
