package org.leantrain.negcache;

import java.util.Arrays;
import org.leantrain.core.util.Rng;

/**
 * Two-level sampling over a cache split into contiguous shards: per query and shard the log-sum-exp Λ_r of the
 * shard's scores and a local Gumbel-max draw; then the shard by Gumbel-max over the Λ_r. The result is distributed
 * exactly as the flat softmax, and p̃⁺ = softmax([s⁺, Λ_1..Λ_R])_0 equals the flat value, while each shard sends
 * back only one number and one candidate per query.
 */
public final class ShardedSampler implements CacheLoss.Sampler {
    private final int[] starts;
    private final int total;

    /** Shards of the given sizes, in slot order. */
    public ShardedSampler(int... shardSizes) {
        if (shardSizes.length < 1) {
            throw new IllegalArgumentException("at least one shard is needed");
        }
        starts = new int[shardSizes.length + 1];
        for (int r = 0; r < shardSizes.length; r++) {
            if (shardSizes[r] < 1) {
                throw new IllegalArgumentException("shard " + r + " has size " + shardSizes[r] + "; sizes must be >= 1");
            }
            starts[r + 1] = starts[r] + shardSizes[r];
        }
        total = starts[shardSizes.length];
    }

    /** R shards of sizes as equal as possible (the first C mod R one larger). */
    public static ShardedSampler even(int capacity, int shards) {
        if (shards < 1 || shards > capacity) {
            throw new IllegalArgumentException("shards must be in [1, " + capacity + "], got " + shards);
        }
        int[] sizes = new int[shards];
        for (int r = 0; r < shards; r++) {
            sizes[r] = capacity / shards + (r < capacity % shards ? 1 : 0);
        }
        return new ShardedSampler(sizes);
    }

    @Override
    public int[] draw(double[][] cachedScores, Rng rng) {
        int[] out = new int[cachedScores.length];
        for (int i = 0; i < cachedScores.length; i++) {
            double[] row = checked(cachedScores[i]);
            int shards = starts.length - 1;
            double[] lse = new double[shards];
            int[] local = new int[shards];
            for (int r = 0; r < shards; r++) {
                double[] part = Arrays.copyOfRange(row, starts[r], starts[r + 1]);
                lse[r] = CacheLoss.logSumExp(Double.NEGATIVE_INFINITY, part);
                local[r] = GumbelMaxSampler.sampleRow(part, 1, rng);
            }
            int shard = GumbelMaxSampler.sampleRow(lse, 1, rng);
            out[i] = shard < 0 ? -1 : starts[shard] + local[shard];
        }
        return out;
    }

    /** p̃⁺ from the shards' log-sum-exps: softmax([s⁺, Λ_1..Λ_R])_0. */
    public double positiveProbability(double positiveScore, double[] cachedRow) {
        double[] row = checked(cachedRow);
        double[] lse = new double[starts.length - 1];
        for (int r = 0; r < lse.length; r++) {
            lse[r] = CacheLoss.logSumExp(Double.NEGATIVE_INFINITY, Arrays.copyOfRange(row, starts[r], starts[r + 1]));
        }
        return Math.exp(positiveScore - CacheLoss.logSumExp(positiveScore, lse));
    }

    /** {shard, local index} of a global slot. */
    public int[] locate(int slot) {
        if (slot < 0 || slot >= total) {
            throw new IllegalArgumentException("slot " + slot + " is outside [0, " + total + ")");
        }
        int shard = 0;
        while (starts[shard + 1] <= slot) {
            shard++;
        }
        return new int[] {shard, slot - starts[shard]};
    }

    private double[] checked(double[] row) {
        if (row.length != total) {
            throw new IllegalArgumentException("the shards cover " + total + " slots, the score row has " + row.length);
        }
        return row;
    }
}
