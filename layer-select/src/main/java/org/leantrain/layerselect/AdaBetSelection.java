package org.leantrain.layerselect;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Module;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * AdaBet (spec §3A–E): forward-only, label-free. For N_b unlabelled batches, each candidate layer's activations form
 * a point cloud of B points; its score is the mean number of positive H1 bars divided by the activation size; the
 * top k = max(k_min, ⌊ρ·L⌋) layers are trained. The 1/m normalisation strongly favours narrow layers (head, last
 * dense layers); {@link AdaBetConfig.Normalization#NONE} gives the raw-b1 ablation.
 */
public final class AdaBetSelection implements LayerSelectionStrategy {
    private final AdaBetConfig config;
    private final RipsPersistence engine = new RipsPersistence();
    private List<LayerScore> lastScores = List.of();

    public AdaBetSelection(AdaBetConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return config.normalization() == AdaBetConfig.Normalization.NONE ? "AdaBet-raw" : "AdaBet";
    }

    @Override
    public Selection select(Module model, Dataset target, Rng rng) {
        long start = System.nanoTime();
        List<CandidateLayer> candidates = CandidateLayers.discover(model);
        int k = config.layersToTrain(candidates.size());
        List<LayerScore> scores = score(model, candidates, target.features(), rng);
        Map<String, Double> byName = new LinkedHashMap<>();
        scores.forEach(s -> byName.put(s.layer(), s.score()));
        List<String> chosen = TopK.byScore(candidates, byName, k);
        lastScores = scores;
        return new Selection(name(), chosen, byName, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Per-layer b1 on each batch and the score; reads features only (no labels, no tape). */
    public List<LayerScore> score(Module model, List<CandidateLayer> candidates, INDArray features, Rng rng) {
        int[][] batches = Batches.draw((int) features.size(0), config.numBatches(), config.batchSize(), rng);
        int[][] b1 = new int[candidates.size()][batches.length];
        long[] sizes = new long[candidates.size()];
        try (ActivationRecorder recorder = new ActivationRecorder(candidates)) {
            for (int t = 0; t < batches.length; t++) {
                Map<String, INDArray> acts = recorder.record(model, features.getRows(batches[t]));
                for (int l = 0; l < candidates.size(); l++) {
                    INDArray a = acts.get(candidates.get(l).name());
                    if (a == null) {
                        throw new IllegalStateException("layer '" + candidates.get(l).name() + "' did not run in the "
                                + "model's forward; it cannot be scored");
                    }
                    sizes[l] = a.size(1);
                    b1[l][t] = engine.compute(DistanceMatrix.fromActivations(a), config.rips()).countPositive(1);
                }
            }
        }
        List<LayerScore> scores = new java.util.ArrayList<>();
        for (int l = 0; l < candidates.size(); l++) {
            double mean = java.util.Arrays.stream(b1[l]).average().orElse(0);
            double score = config.normalization() == AdaBetConfig.Normalization.NONE ? mean : mean / sizes[l];
            scores.add(new LayerScore(candidates.get(l).name(), sizes[l], b1[l], score));
        }
        return scores;
    }

    /** The per-layer scores of the last {@link #select} (diagnostics: b1 per batch, m_l). */
    public List<LayerScore> lastScores() {
        return lastScores;
    }
}
