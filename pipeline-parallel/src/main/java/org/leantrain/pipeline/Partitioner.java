package org.leantrain.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Threads;
import org.nd4j.linalg.factory.Nd4j;

/** Balance vectors: how many consecutive layers each stage gets (spec §3, automatic balancing). */
public final class Partitioner {
    private Partitioner() {}

    /**
     * The exact balance minimizing the largest stage cost; ties go to the smallest Σ_s C_s², then to the
     * lexicographically smallest balance. Costs must be finite and ≥ 0.
     */
    public static int[] byCosts(double[] costs, int stages) {
        int layers = costs.length;
        if (stages < 1 || stages > layers) {
            throw new IllegalArgumentException("cannot cut " + layers + " layers into " + stages + " stages; need 1 <= K"
                    + " <= " + layers);
        }
        double[] prefix = new double[layers + 1];
        for (int l = 0; l < layers; l++) {
            if (!(costs[l] >= 0) || Double.isInfinite(costs[l])) {
                throw new IllegalArgumentException("layer cost " + l + " is " + costs[l] + "; costs must be finite and >= 0");
            }
            prefix[l + 1] = prefix[l] + costs[l];
        }
        double bound = minMaxCost(prefix, stages);
        // best[k][i]: least Σ C² cutting layers i.. into k stages, each costing at most the optimal bound
        double[][] best = new double[stages + 1][layers + 1];
        for (double[] row : best) {
            Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        best[0][layers] = 0;
        for (int k = 1; k <= stages; k++) {
            for (int i = layers - k; i >= 0; i--) {
                for (int j = i + 1; j <= layers - (k - 1); j++) {
                    double c = prefix[j] - prefix[i];
                    if (c <= bound && best[k - 1][j] < Double.POSITIVE_INFINITY) {
                        best[k][i] = Math.min(best[k][i], c * c + best[k - 1][j]);
                    }
                }
            }
        }
        // walk from the front taking the shortest first stage that keeps Σ C² optimal (lexicographic tie rule)
        int[] balance = new int[stages];
        int i = 0;
        for (int k = stages; k >= 1; k--) {
            for (int j = i + 1; j <= layers - (k - 1); j++) {
                double c = prefix[j] - prefix[i];
                double total = c * c + best[k - 1][j];
                if (c <= bound && total <= best[k][i] * (1 + 1e-12)) {
                    balance[stages - k] = j - i;
                    i = j;
                    break;
                }
            }
        }
        return balance;
    }

    /** The least achievable largest stage cost (DP over prefix sums, O(K·L²)). */
    private static double minMaxCost(double[] prefix, int stages) {
        int layers = prefix.length - 1;
        double[][] dp = new double[stages + 1][layers + 1]; // dp[k][i]: min max cost cutting layers i.. into k stages
        for (double[] row : dp) {
            Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        dp[0][layers] = 0;
        for (int k = 1; k <= stages; k++) {
            for (int i = layers - k; i >= 0; i--) {
                for (int j = i + 1; j <= layers - (k - 1); j++) {
                    dp[k][i] = Math.min(dp[k][i], Math.max(prefix[j] - prefix[i], dp[k - 1][j]));
                }
            }
        }
        return dp[stages][0];
    }

    /**
     * Balance by measured time: each layer's forward+backward on {@code sampleMicroBatch} (3 warm-ups, then repeats
     * until its share of {@code budget} is spent; the median counts), timed on a thread pinned to {@code threads}
     * native threads as a stage would be. Parameter gradients produced while timing are cleared.
     */
    public static int[] byTime(Sequential model, Tensor sampleMicroBatch, int stages, Duration budget, int threads) {
        List<Module> layers = model.layers();
        checkStages(layers.size(), stages);
        long perLayer = budget.toNanos() / layers.size();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            double[] costs = thread.submit(() -> {
                Threads.setNd4jThreads(threads);
                double[] c = new double[layers.size()];
                Tensor x = sampleMicroBatch;
                for (int l = 0; l < layers.size(); l++) {
                    c[l] = medianForwardBackwardNanos(layers.get(l), x, perLayer);
                    try (GradMode.Scope noGrad = GradMode.noGrad()) {
                        x = layers.get(l).forward(x);
                    }
                }
                return c;
            }).get();
            return byCosts(costs, stages);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while timing layers", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            thread.shutdownNow();
        }
    }

    private static double medianForwardBackwardNanos(Module layer, Tensor input, long budgetNanos) {
        List<Long> times = new ArrayList<>();
        long spent = 0;
        for (int run = 0; run < 3 || spent < budgetNanos; run++) {
            long start = System.nanoTime();
            Tensor leaf = Tensor.of(input.value()).requireGrad(true);
            Tensor out = layer.forward(leaf);
            if (out.requiresGrad()) {
                out.backward(Nd4j.onesLike(out.value()));
            }
            long t = System.nanoTime() - start;
            layer.zeroGrad();
            if (run >= 3) {
                times.add(t);
                spent += t;
            }
        }
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    /**
     * Balance by memory: c_l = α_l·(N/M) + paramBytes_l·paramScale, with α_l the bytes layer l keeps for backward per
     * sample, measured on {@code oneSample} (a batch of one row). paramScale covers weights, gradients and optimizer
     * state: 2–3 for SGD, 4–5 for Adam.
     */
    public static int[] bySize(Sequential model, Tensor oneSample, int batchSize, int stages, int micro,
                               double paramScale) {
        List<Module> layers = model.layers();
        checkStages(layers.size(), stages);
        if (!(paramScale >= 0)) {
            throw new IllegalArgumentException("paramScale must be >= 0, got " + paramScale);
        }
        MicroBatcher.sizes(batchSize, micro); // rejects N < M
        double perMicro = (double) batchSize / micro;
        double[] costs = new double[layers.size()];
        Tensor x = oneSample;
        for (int l = 0; l < layers.size(); l++) {
            Module layer = layers.get(l);
            double alpha = MemoryModel.measure(List.of(layer), x, null, null).alpha();
            long paramBytes = layer.parameters().stream()
                    .mapToLong(p -> p.value().length() * p.dataType().width()).sum();
            costs[l] = alpha * perMicro + paramBytes * paramScale;
            try (GradMode.Scope noGrad = GradMode.noGrad()) {
                x = layer.forward(x);
            }
        }
        return byCosts(costs, stages);
    }

    private static void checkStages(int layers, int stages) {
        if (stages < 1 || stages > layers) {
            throw new IllegalArgumentException("K = " + stages + " stages for a model of " + layers + " layers; need"
                    + " 1 <= K <= " + layers);
        }
    }
}
