package org.leantrain.negcache;

import java.util.function.Function;
import org.leantrain.core.tensor.Nd;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The cache loss of one batch (spec §2): score the queries against every cached embedding without the tape, draw one
 * negative per query from that softmax, re-encode only the drawn documents, and return
 * ℓ = mean_i (1 − sg(p̃_i⁺))·(ŝ_i − s_i⁺), whose gradient is, with a fresh cache, exactly the gradient of the softmax
 * cross-entropy over the positive and the whole cache. ℓ is not a loss value; {@link Result#interpretableLoss}
 * (−log p̃⁺) is.
 */
public final class CacheLoss {

    /** How a negative is drawn from one batch's cached scores [B][C] (−∞ = masked); −1 where a row has none. */
    public interface Sampler {
        int[] draw(double[][] cachedScores, Rng rng);
    }

    /** Gumbel-max at inverse temperature 1: an exact draw from the softmax of the cached scores. */
    public static final Sampler GUMBEL_MAX = (scores, rng) -> GumbelMaxSampler.sample(scores, 1, rng);

    /** The ablation "max-score retrieval": the highest cached score (smallest index on ties), not a draw. */
    public static final Sampler MAX_SCORE = (scores, rng) -> {
        int[] best = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            best[i] = -1;
            for (int c = 0; c < scores[i].length; c++) {
                if (scores[i][c] != Double.NEGATIVE_INFINITY && (best[i] < 0 || scores[i][c] > scores[i][best[i]])) {
                    best[i] = c;
                }
            }
        }
        return best;
    };

    /**
     * @param beta         score scale τ(u) = β·u
     * @param maskPositive a slot holding the query's own positive is not a negative (the official code does not mask)
     * @param topK         0, or the official approximate top-k: row i of the cached scores is cut into k contiguous
     *                     groups and only each group's maximum takes part in p̃⁺ and in the draw (biased)
     * @param negatives    m ≥ 1 independent draws per query; ℓ_i uses the mean of their scores (still unbiased,
     *                     variance / m, B more document passes per extra draw)
     * @param sampler      how negatives are drawn
     */
    public record Options(double beta, boolean maskPositive, int topK, int negatives, Sampler sampler) {
        public Options {
            if (negatives < 1) {
                throw new IllegalArgumentException("negatives per query must be >= 1, got " + negatives);
            }
            if (!(beta > 0) || Double.isInfinite(beta)) {
                throw new IllegalArgumentException("score scale beta must be positive and finite, got " + beta);
            }
            if (topK < 0) {
                throw new IllegalArgumentException("topK must be 0 (off) or positive, got " + topK);
            }
            if (sampler == null) {
                throw new IllegalArgumentException("a sampler is needed (CacheLoss.GUMBEL_MAX for the flat draw)");
            }
        }

        /** Gumbel-max draws, the query's own positive masked, no top-k. */
        public static Options of(double beta) {
            return new Options(beta, true, 0, 1, GUMBEL_MAX);
        }
    }

    /**
     * @param trainingLoss      ℓ, on the tape (its gradient is what trains)
     * @param interpretableLoss −log p̃_i⁺ per query
     * @param pPositive         p̃_i⁺ per query (1 where no candidate was valid)
     * @param sampledSlots      the drawn slots, m per query (query i at i·m … i·m + m − 1), −1 where none
     * @param freshNegatives    ê = g(x_c) of each drawn slot [B·m, e], detached (rows of undrawn ones meaningless)
     * @param staleness         per query, the mean over its draws of ‖ẽ_c − ê‖² / ‖ê‖² (0 where none was drawn)
     */
    public record Result(Tensor trainingLoss, double[] interpretableLoss, double[] pPositive, int[] sampledSlots,
            INDArray freshNegatives, double[] staleness) {}

    private CacheLoss() {}

    /**
     * @param queries     f(q) [B, e] on the tape
     * @param positives   g(d) [B, e] on the tape
     * @param docTower    the document tower on token features [k][L] → [k, e]
     * @param positiveIds document id of each query's positive (for {@link Options#maskPositive})
     */
    public static Result compute(Tensor queries, Tensor positives, Function<int[][], Tensor> docTower,
            NegativeCache cache, int[] positiveIds, Options options, Rng rng) {
        int batch = (int) queries.size(0);
        if (queries.rank() != 2 || positives.rank() != 2 || positives.size(0) != batch
                || queries.size(1) != positives.size(1) || queries.size(1) != cache.embeddingDim()) {
            throw new IllegalArgumentException("queries and positives must both be [B, " + cache.embeddingDim()
                    + "], got " + java.util.Arrays.toString(queries.shape()) + " and "
                    + java.util.Arrays.toString(positives.shape()));
        }
        if (positiveIds.length != batch) {
            throw new IllegalArgumentException(positiveIds.length + " positive ids for a batch of " + batch);
        }
        double beta = options.beta();
        Tensor positiveScores = queries.mul(positives).sum(false, 1).mul(beta);
        double[][] cached = cachedScores(queries.value(), cache, positiveIds, beta, options.maskPositive());
        int[][] candidates = options.topK() > 0 ? ApproxTopK.groupMaxima(cached, options.topK()) : null;
        if (candidates != null) {
            cached = ApproxTopK.gather(cached, candidates);
        }
        double[] sPos = positiveScores.value().castTo(DataType.DOUBLE).toDoubleVector();
        double[] pPos = new double[batch];
        double[] interpretable = new double[batch];
        for (int i = 0; i < batch; i++) {
            double lse = logSumExp(sPos[i], cached[i]);
            interpretable[i] = lse - sPos[i];
            pPos[i] = Math.exp(-interpretable[i]);
        }
        int m = options.negatives();
        int[] slots = new int[batch * m]; // query i's draws at i·m .. i·m + m − 1
        for (int l = 0; l < m; l++) {
            int[] drawn = options.sampler().draw(cached, rng);
            for (int i = 0; i < batch; i++) {
                slots[i * m + l] = drawn[i] < 0 ? -1 : candidates != null ? candidates[i][drawn[i]] : drawn[i];
            }
        }
        int[][] negativeFeatures = new int[batch * m][];
        int[] owner = new int[batch * m];
        double[] weights = new double[batch * m];
        for (int j = 0; j < batch * m; j++) {
            int i = j / m;
            boolean drawn = slots[j] >= 0;
            owner[j] = i;
            negativeFeatures[j] = cache.features(drawn ? slots[j] : 0);
            weights[j] = drawn ? (1 - pPos[i]) / ((double) batch * m) : 0;
        }
        for (int i = 0; i < batch; i++) {
            if (slots[i * m] < 0) { // no valid candidate: nothing to learn from this query
                pPos[i] = 1;
                interpretable[i] = 0;
            }
        }
        Tensor negatives = docTower.apply(negativeFeatures);
        Tensor ownQueries = m == 1 ? queries : queries.indexSelect(owner);
        Tensor ownPositives = m == 1 ? positiveScores : positiveScores.reshape(batch, 1).indexSelect(owner)
                .reshape((long) batch * m);
        Tensor negativeScores = ownQueries.mul(negatives).sum(false, 1).mul(beta);
        Tensor w = Tensor.of(Nd4j.createFromArray(weights).castTo(queries.dataType()));
        Tensor loss = negativeScores.sub(ownPositives).mul(w).sum();
        INDArray fresh = negatives.value().dup();
        double[] perDraw = staleness(cache, slots, fresh);
        double[] stalenessPerQuery = new double[batch];
        for (int j = 0; j < perDraw.length; j++) {
            stalenessPerQuery[j / m] += perDraw[j] / m;
        }
        return new Result(loss, interpretable, pPos, slots, fresh, stalenessPerQuery);
    }

    /** β·⟨f(q_i), ẽ_c⟩ in double without the tape; −∞ for invalid slots and (optionally) the query's own positive. */
    static double[][] cachedScores(INDArray queries, NegativeCache cache, int[] positiveIds, double beta,
            boolean maskPositive) {
        // the product in the cache's own precision (casting the B × C result, not the C × e cache, every step), one
        // gemm with the cache transposed in place (an mmul of a transposed view is two to three times slower)
        INDArray embeddings = cache.embeddings();
        int capacity = cache.capacity();
        INDArray product = Nd4j.createUninitialized(embeddings.dataType(), queries.size(0), capacity);
        Nd4j.gemm(queries.castTo(embeddings.dataType()), embeddings, product, false, true, 1.0, 0.0);
        double[] flat = Nd.doubles(product.castTo(DataType.DOUBLE));
        double[][] rows = new double[Math.toIntExact(queries.size(0))][capacity];
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < capacity; c++) {
                boolean excluded = !cache.isValid(c) || (maskPositive && cache.docId(c) == positiveIds[i]);
                double score = beta * flat[i * capacity + c];
                if (!excluded && !Double.isFinite(score)) {
                    throw new IllegalArgumentException("cached scores hold NaN or Inf: check the query and cached"
                            + " embeddings");
                }
                rows[i][c] = excluded ? Double.NEGATIVE_INFINITY : score;
            }
        }
        return rows;
    }

    /** log(e^first + Σ e^rest) with max subtraction; −∞ entries contribute nothing. */
    static double logSumExp(double first, double[] rest) {
        double max = first;
        for (double r : rest) {
            max = Math.max(max, r);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max; // nothing to sum
        }
        double sum = Math.exp(first - max);
        for (double r : rest) {
            sum += Math.exp(r - max);
        }
        return max + Math.log(sum);
    }

    private static double[] staleness(NegativeCache cache, int[] slots, INDArray fresh) {
        // two bulk copies to Java arrays instead of a handful of ND4J calls per drawn slot
        int dim = cache.embeddingDim();
        int[] rows = new int[slots.length];
        for (int i = 0; i < slots.length; i++) {
            rows[i] = Math.max(0, slots[i]);
        }
        double[] now = Nd.doubles(fresh.castTo(DataType.DOUBLE));
        double[] stale = Nd.doubles(Nd4j.pullRows(cache.embeddings(), 1, rows).castTo(DataType.DOUBLE));
        double[] out = new double[slots.length];
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] < 0) {
                continue;
            }
            double norm = 0;
            double distance = 0;
            for (int j = i * dim; j < (i + 1) * dim; j++) {
                norm += now[j] * now[j];
                distance += (stale[j] - now[j]) * (stale[j] - now[j]);
            }
            out[i] = distance == 0 ? 0 : distance / norm; // a zero fresh embedding: infinitely stale
        }
        return out;
    }
}
