package org.leantrain.negcache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Spec §6 test 11: with a fresh cache, the expectation over the Gumbel-max draw of the cache loss's gradient,
 * Σ_c Q_ic ∇ℓ_i(c) enumerated exactly, equals the autograd gradient of the softmax cross-entropy over the positive
 * and the whole cache, for every parameter of both towers (float64, 1e−10).
 */
class UnbiasednessTest {
    private static final int VOCAB = 20, DIM = 5, SLOTS = 7, BATCH = 3, LENGTH = 3;
    private static final double BETA = 2;

    private static int[][] bags(int count, Rng rng) {
        int[][] out = new int[count][LENGTH];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < LENGTH; j++) {
                out[i][j] = rng.nextInt(VOCAB);
            }
        }
        return out;
    }

    private static List<INDArray> gradients(List<Tensor> parameters) {
        List<INDArray> out = new ArrayList<>();
        for (Tensor p : parameters) {
            out.add(p.grad() == null ? p.value().mul(0) : p.grad().dup());
            p.zeroGrad();
        }
        return out;
    }

    @Test
    void expectedCacheGradientEqualsTheFullSoftmaxGradient() {
        Rng rng = new Rng(11);
        BagOfTokensTower queryTower = new BagOfTokensTower(VOCAB, DIM, false, DataType.DOUBLE, rng);
        BagOfTokensTower docTower = new BagOfTokensTower(VOCAB, DIM, false, DataType.DOUBLE, rng);
        List<Tensor> parameters = new ArrayList<>(queryTower.parameters());
        parameters.addAll(docTower.parameters());
        int[][] docs = bags(SLOTS, rng);
        int[][] queries = bags(BATCH, rng);
        int[][] positives = bags(BATCH, rng);
        NegativeCache cache = new NegativeCache(SLOTS, LENGTH, DIM, EvictionPolicy.LRU, DataType.DOUBLE);
        cache.insert(docs, docTower.encode(docs).value().dup(), java.util.stream.IntStream.range(0, SLOTS).toArray(),
                null);

        // Target: mean_i [−s_i⁺ + log(e^{s_i⁺} + Σ_c e^{s_ic})], everything on the tape.
        Tensor fq = queryTower.encode(queries);
        Tensor sPos = fq.mul(docTower.encode(positives)).sum(true, 1).mul(BETA);
        Tensor sCache = fq.matmul(docTower.encode(docs).transpose()).mul(BETA);
        Tensor all = Tensor.concat(1, sPos, sCache);
        all.logSumExp(1, false).sub(sPos.reshape(BATCH)).mean().backward();
        List<INDArray> exact = gradients(parameters);
        double[][] q = sCache.value().toDoubleMatrix();

        // Estimator: per query, every slot c drawn with probability Q_ic (softmax of the fresh cached scores).
        List<INDArray> expected = new ArrayList<>();
        for (INDArray g : exact) {
            expected.add(g.mul(0));
        }
        for (int i = 0; i < BATCH; i++) {
            double lse = CacheLoss.logSumExp(Double.NEGATIVE_INFINITY, q[i]);
            for (int c = 0; c < SLOTS; c++) {
                int slot = c;
                CacheLoss.Result r = CacheLoss.compute(queryTower.encode(new int[][] {queries[i]}),
                        docTower.encode(new int[][] {positives[i]}), docTower::encode, cache, new int[] {-1},
                        new CacheLoss.Options(BETA, false, 0, 1, (scores, unused) -> new int[] {slot}), rng);
                r.trainingLoss().backward();
                List<INDArray> g = gradients(parameters);
                double weight = Math.exp(q[i][c] - lse) / BATCH;
                for (int p = 0; p < g.size(); p++) {
                    expected.get(p).addi(g.get(p).mul(weight));
                }
            }
        }
        for (int p = 0; p < exact.size(); p++) {
            double scale = Math.max(1e-12, exact.get(p).amaxNumber().doubleValue());
            double diff = exact.get(p).sub(expected.get(p)).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-10 * scale + 1e-14, "parameter " + parameters.get(p).describe() + " differs by " + diff
                    + " (scale " + scale + ")");
        }
    }
}
