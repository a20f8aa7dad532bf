package org.leantrain.layerselect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Selection rule, strategies and AdaBet's label- and tape-free scoring (spec §2, §5, §6, §9). */
class SelectionTest {
    private static List<CandidateLayer> layers(String... names) {
        Rng rng = new Rng(1);
        List<CandidateLayer> out = new java.util.ArrayList<>();
        for (String n : names) {
            out.add(new CandidateLayer(n, new Linear(2, 2, rng), out.size(), 6));
        }
        return out;
    }

    @Test
    void topKIsStableAndKFollowsTheFloorRule() {
        List<CandidateLayer> abc = layers("a", "b", "c");
        AdaBetConfig cfg = AdaBetConfig.of(0.67);
        int k = cfg.layersToTrain(3);
        assertEquals(2, k);
        assertEquals(List.of("c", "a"), TopK.byScore(abc, Map.of("a", 0.5, "b", 0.5, "c", 0.9), k));
        assertEquals(1, AdaBetConfig.of(0.3).layersToTrain(3), "rho·L < 1 still trains k_min = 1 layer");
        assertEquals(2, AdaBetConfig.of(0.3).layersToTrain(7));
        assertEquals(2, AdaBetConfig.of(0.34).layersToTrain(6));
    }

    @Test
    void badConfigurationsAndSelectionsAreRejected() {
        RipsPropertiesTest.assertMessage(() -> AdaBetConfig.of(0), "rho");
        RipsPropertiesTest.assertMessage(() -> AdaBetConfig.of(1.5), "rho");
        RipsPropertiesTest.assertMessage(() -> new AdaBetConfig(0.5, 1, 0, 32, AdaBetConfig.Normalization.NONE,
                RipsConfig.defaults()), "numBatches");
        RipsPropertiesTest.assertMessage(() -> new AdaBetConfig(0.5, 1, 4, 3, AdaBetConfig.Normalization.NONE,
                RipsConfig.defaults()), "batchSize");
        RipsPropertiesTest.assertMessage(() -> new AdaBetConfig(0.5, 4, 4, 32, AdaBetConfig.Normalization.NONE,
                RipsConfig.defaults()).layersToTrain(3), "only 3 candidates");
        RipsPropertiesTest.assertMessage(() -> TopK.byScore(layers("a"), Map.of("a", 1.0), 2), "k must be");
        RipsPropertiesTest.assertMessage(() -> CandidateLayers.discover(Sequential.lambda(Tensor::relu)),
                "no candidate layers");
        Mlp6 model = new Mlp6(5, DataType.FLOAT, new Rng(1));
        RipsPropertiesTest.assertMessage(() -> new SelectiveTrainer().apply(model,
                new Selection("x", List.of("fc9"), Map.of(), java.time.Duration.ZERO)), "unknown layer 'fc9'");
        RipsPropertiesTest.assertMessage(() -> new LastKLayers(7).select(model, data(40, 5), new Rng(1)), "k must be");
    }

    private static Dataset data(int n, int classes) {
        Rng rng = new Rng(4);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(classes);
        }
        return new Dataset(rng.normal(DataType.FLOAT, 0, 1, n, 784), labels);
    }

    @Test
    void candidatesOfTheModelsAreTheirParameterisedLeavesInOrder() {
        assertEquals(List.of("fc1", "fc2", "fc3", "fc4", "fc5", "head"), CandidateLayers.discover(
                new Mlp6(5, DataType.FLOAT, new Rng(1))).stream().map(CandidateLayer::name).toList());
        List<CandidateLayer> cnn = CandidateLayers.discover(new Cnn7(5, DataType.FLOAT, new Rng(1)));
        assertEquals(List.of("conv1", "conv2", "conv3", "conv4", "fc1", "fc2", "head"),
                cnn.stream().map(CandidateLayer::name).toList());
        assertEquals(3136 * 128 + 128, cnn.get(4).paramCount());
        Module nested = new Sequential(new Sequential(new Linear(3, 3, new Rng(1))), Sequential.lambda(Tensor::relu),
                new Linear(3, 2, new Rng(2)));
        assertEquals(List.of("0.0", "2"), CandidateLayers.discover(nested).stream().map(CandidateLayer::name).toList());
    }

    @Test
    void adaBetUsesNoLabelsRecordsNoTapeAndLeavesTheModelAsItWas() {
        Mlp6 model = new Mlp6(5, DataType.FLOAT, new Rng(2));
        Dataset target = data(128, 5);
        Dataset unlabelled = new Dataset(target.features(), new int[target.size()]); // labels hidden
        AdaBetSelection adabet = new AdaBetSelection(AdaBetConfig.of(0.34));
        Memory.reset();
        Selection a = adabet.select(model, target, new Rng(7));
        assertEquals(0, Memory.peakSavedBytes(), "selection must not record a graph");
        Selection b = new AdaBetSelection(AdaBetConfig.of(0.34)).select(model, unlabelled, new Rng(7));
        assertEquals(a.trainable(), b.trainable());
        assertEquals(a.scores(), b.scores());
        assertEquals(2, a.trainable().size());
        assertTrue(model.isTraining());
        assertEquals(model.parameters().size(), model.trainableParameters().size());
        for (LayerScore s : adabet.lastScores()) {
            assertEquals(4, s.b1PerBatch().length);
            double mean = java.util.Arrays.stream(s.b1PerBatch()).average().orElseThrow();
            assertEquals(mean / s.activationSize(), s.score(), 1e-15);
            for (int b1 : s.b1PerBatch()) {
                assertTrue(b1 >= 0 && b1 <= 31 * 30 / 2);
            }
        }
    }

    @Test
    void gradientBaselinesRestoreFlagsAndRankByTheirScores() {
        Mlp6 model = new Mlp6(5, DataType.DOUBLE, new Rng(3));
        model.parameters().get(0).requireGrad(false); // a flag that must survive
        Dataset target = data(64, 5).castTo(DataType.DOUBLE);
        for (LayerSelectionStrategy s : List.of(new GradientNormSelection(2, 32), new FisherSelection(2, 32))) {
            Selection sel = s.select(model, target, new Rng(5));
            assertEquals(2, sel.trainable().size());
            assertEquals(6, sel.scores().size());
            double kth = sel.scores().get(sel.trainable().get(1));
            sel.scores().forEach((layer, score) -> assertTrue(sel.trainable().contains(layer) || score <= kth));
            assertTrue(!model.parameters().get(0).requiresGrad() && model.parameters().get(1).requiresGrad());
            model.parameters().forEach(p -> assertTrue(p.grad() == null || p.grad().sumNumber().doubleValue() == 0));
        }
    }

    @Test
    void alwaysTrainAddsANewHeadOutsideTheBudgetAndReportsIt() {
        Mlp6 model = new Mlp6(5, DataType.FLOAT, new Rng(1));
        Selection s = new LastKLayers(1).select(model, data(40, 5), new Rng(1)).withAlwaysTrain(List.of("head", "fc1"));
        assertEquals(List.of("head", "fc1"), s.trainable());
        assertEquals(List.of("fc1"), s.forced(), "the head was chosen anyway; only fc1 is forced");
        FreezePlan plan = new SelectiveTrainer().apply(model, s);
        assertEquals(0, plan.firstTrainableForwardIndex());
        RipsPropertiesTest.assertMessage(() -> new SelectiveTrainer().apply(model, s.withAlwaysTrain(List.of("fc7"))),
                "unknown layer 'fc7'");
    }

    @Test
    void lastKAndRandomPickTheirLayers() {
        Mlp6 model = new Mlp6(5, DataType.FLOAT, new Rng(1));
        Dataset target = data(40, 5);
        assertEquals(List.of("fc5", "head"), new LastKLayers(2).select(model, target, new Rng(1)).trainable());
        assertEquals(List.of("head"), new LastKLayers(1).select(model, target, new Rng(1)).trainable());
        assertEquals(6, new FullFineTuning().select(model, target, new Rng(1)).trainable().size());
        List<String> r1 = new RandomLayers(2).select(model, target, new Rng(9)).trainable();
        assertEquals(r1, new RandomLayers(2).select(model, target, new Rng(9)).trainable(), "seeded");
        assertEquals(2, r1.stream().distinct().count());
    }

    @Test
    void recordedActivationsHaveOneRowPerSampleInDouble() {
        Cnn7 model = new Cnn7(5, DataType.FLOAT, new Rng(1));
        INDArray batch = data(6, 5).features();
        try (ActivationRecorder rec = new ActivationRecorder(CandidateLayers.discover(model))) {
            Map<String, INDArray> acts = rec.record(model, batch);
            assertEquals(List.of(6L, 12544L), List.of(acts.get("conv1").size(0), acts.get("conv1").size(1)));
            assertEquals(3136, acts.get("conv4").size(1));
            assertEquals(DataType.DOUBLE, acts.get("head").dataType());
        }
    }
}
