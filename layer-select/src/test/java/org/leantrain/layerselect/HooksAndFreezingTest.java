package org.leantrain.layerselect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.tensor.GradCheck;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Hook fidelity (§3A) and selective training's memory and freezing (§3F, §7 saved-bytes table). */
class HooksAndFreezingTest {
    /** out = a(x) + relu(b(x)): two branches reading the same input, as in a residual block. */
    private static final class TwoBranch extends Module {
        final Linear a;
        final Linear b;

        TwoBranch(Rng rng) {
            a = child("a", new Linear(5, 4, true, DataType.DOUBLE, rng));
            b = child("b", new Linear(5, 4, true, DataType.DOUBLE, rng));
        }

        @Override
        protected Tensor compute(Tensor x) {
            return a.forward(x).add(b.forward(x).relu());
        }
    }

    @Test
    void sequentialHooksSeeExactlyTheOutputsOfTheLayersRunByHand() {
        Rng rng = new Rng(1);
        Linear l1 = new Linear(6, 5, true, DataType.DOUBLE, rng);
        Linear l2 = new Linear(5, 3, true, DataType.DOUBLE, rng);
        Sequential model = new Sequential(l1, Sequential.lambda(Tensor::tanh), l2);
        INDArray x = rng.normal(DataType.DOUBLE, 0, 1, 7, 6);
        try (ActivationRecorder rec = new ActivationRecorder(CandidateLayers.discover(model))) {
            Map<String, INDArray> acts = rec.record(model, x);
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                INDArray h1 = l1.forward(Tensor.of(x)).value();
                INDArray h2 = l2.forward(Tensor.of(h1).tanh()).value();
                assertArrayEquals(h1.data().asDouble(), acts.get("0").data().asDouble(), 0);
                assertArrayEquals(h2.data().asDouble(), acts.get("2").data().asDouble(), 0);
            }
        }
    }

    @Test
    void residualBranchOutputsAreRecordedAsTheyAreAndHooksGoAwayOnClose() {
        TwoBranch block = new TwoBranch(new Rng(2));
        INDArray x = new Rng(3).normal(DataType.DOUBLE, 0, 1, 6, 5);
        ActivationRecorder rec = new ActivationRecorder(CandidateLayers.discover(block));
        Map<String, INDArray> acts = rec.record(block, x);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            assertArrayEquals(block.a.forward(Tensor.of(x)).value().data().asDouble(), acts.get("a").data().asDouble(), 0);
            assertArrayEquals(block.b.forward(Tensor.of(x)).value().data().asDouble(), acts.get("b").data().asDouble(), 0);
        }
        rec.close();
        assertTrue(rec.record(block, x).isEmpty(), "no hook may fire after close");
    }

    private static Dataset batch(int n, int classes, DataType type) {
        Rng rng = new Rng(4);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(classes);
        }
        return new Dataset(rng.normal(type, 0, 1, n, 784), labels);
    }

    private static long savedBytesOfOneStep(Module model, List<String> trainable) {
        new SelectiveTrainer().apply(model, new Selection("t", trainable, Map.of(), Duration.ZERO));
        Dataset b = batch(32, 5, DataType.FLOAT);
        Memory.reset();
        Tensor loss = Losses.crossEntropy(model.forward(Tensor.of(b.features())), b.labels());
        long peak = Memory.peakSavedBytes();
        loss.backward();
        assertEquals(0, Memory.savedBytes(), "backward frees everything");
        return peak;
    }

    /** The minimal-saving numbers of spec §7 (B = 32, C = 5, float32), exactly. */
    @Test
    void savedBytesMatchTheSpecTable() {
        Cnn7 cnn = new Cnn7(5, DataType.FLOAT, new Rng(1));
        assertEquals(3_738_240, savedBytesOfOneStep(cnn, List.of("conv1", "conv2", "conv3", "conv4", "fc1", "fc2",
                "head")));
        assertEquals(25_216, savedBytesOfOneStep(cnn, List.of("fc2", "head")));
        assertEquals(8_832, savedBytesOfOneStep(cnn, List.of("head")));
        Mlp6 mlp = new Mlp6(5, DataType.FLOAT, new Rng(1));
        assertEquals(264_832, savedBytesOfOneStep(mlp, List.of("fc1", "fc2", "fc3", "fc4", "fc5", "head")));
        assertEquals(264_832, savedBytesOfOneStep(mlp, List.of("head", "fc1")));
        assertEquals(66_176, savedBytesOfOneStep(mlp, List.of("fc5", "head")));
        assertEquals(164_480, savedBytesOfOneStep(mlp, List.of("head", "fc2")));
    }

    @Test
    void headOnlySavedBytesDoNotDependOnTheFrozenPrefix() {
        long[] peaks = new long[3];
        int[][] prefixes = {{16}, {16, 64, 64}, {256, 256}};
        for (int v = 0; v < prefixes.length; v++) {
            Rng rng = new Rng(v);
            Sequential model = new Sequential();
            int width = 784;
            for (int h : prefixes[v]) {
                model.add(new Linear(width, h, rng)).add(Sequential.lambda(Tensor::relu));
                width = h;
            }
            model.add(new Linear(width, 32, rng)).add(Sequential.lambda(Tensor::relu)).add(new Linear(32, 5, rng));
            List<CandidateLayer> c = CandidateLayers.discover(model);
            peaks[v] = savedBytesOfOneStep(model, List.of(c.get(c.size() - 1).name()));
        }
        assertEquals(32 * 32 * 4 + 32 * 5 * 4, peaks[0]);
        assertEquals(peaks[0], peaks[1]);
        assertEquals(peaks[0], peaks[2]);
    }

    @Test
    void frozenParametersKeepTheirValuesAndOwnNoOptimizerState() {
        Mlp6 model = new Mlp6(5, DataType.FLOAT, new Rng(5));
        Dataset data = batch(64, 5, DataType.FLOAT);
        Map<String, INDArray> before = new java.util.LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> before.put(name, p.value().dup()));
        SelectiveTrainer trainer = new SelectiveTrainer();
        FreezePlan plan = trainer.apply(model, new Selection("t", List.of("head", "fc2"), Map.of(), Duration.ZERO));
        assertEquals(1, plan.firstTrainableForwardIndex());
        assertEquals(256 * 256 + 256 + 256 * 5 + 5, plan.trainableParams());
        TrainReport report = trainer.train(model, plan, data, data, new SelectiveTrainer.Settings(1, 32, 1e-2),
                new Rng(6), "test");
        assertEquals(2, report.steps());
        assertEquals(4L * 3 * plan.trainableParams(), report.optimizerStateBytes());
        model.namedParameters().forEach((name, p) -> {
            boolean trained = name.startsWith("head.") || name.startsWith("fc2.");
            boolean same = p.value().equals(before.get(name));
            assertEquals(!trained, same, name + (trained ? " should have moved" : " must not change"));
        });
    }

    @Test
    void withEveryLayerTrainableTheLossGradientPassesTheFiniteDifferenceCheck() {
        Rng rng = new Rng(7);
        Sequential model = new Sequential(new Linear(784, 5, true, DataType.DOUBLE, rng), Sequential.lambda(Tensor::tanh),
                new TwoBranch(rng), Sequential.lambda(Tensor::tanh), new Linear(4, 3, true, DataType.DOUBLE, rng));
        model.freeze();
        FreezePlan plan = new SelectiveTrainer().apply(model, new FullFineTuning().select(model, null, rng));
        assertEquals(8, plan.trainable().size());
        Dataset b = batch(6, 3, DataType.DOUBLE);
        List<Tensor> small = plan.trainable().subList(2, 8); // the 784×5 weight alone would take 4k evaluations
        GradCheck.of(1e-6, 1e-6, 1e-9).checkParameters(
                () -> Losses.crossEntropy(model.forward(Tensor.of(b.features())), b.labels()), small);
    }
}
