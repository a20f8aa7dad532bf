package org.leantrain.layerselect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol of spec §7 for one task and model: pretrain on the source, then for every strategy select layers on
 * the adaptation set (from the same pretrained weights) and train the selection; each distinct layer set is trained
 * once per seed and shared by the strategies that picked it.
 */
public final class LayerSelectExperiment {
    private static final Logger LOG = LoggerFactory.getLogger(LayerSelectExperiment.class);

    /** Protocol settings. */
    public record Config(int adaptationSize, SelectiveTrainer.Settings pretrain, SelectiveTrainer.Settings adapt,
            double rho, int k) {
        public Config {
            if (adaptationSize < 32) {
                throw new IllegalArgumentException("adaptationSize must be >= 32 (one scoring batch), got "
                        + adaptationSize);
            }
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, got " + k);
            }
        }

        /** Spec §7 quick protocol: 2,000 adaptation images, pretrain 2 epochs (batch 64), adapt 3 epochs (batch 32). */
        public static Config quick(double rho, int k) {
            return new Config(2000, new SelectiveTrainer.Settings(2, 64, 1e-3), new SelectiveTrainer.Settings(3, 32, 1e-3),
                    rho, k);
        }
    }

    /** One strategy's outcome on one seed. */
    public record Row(String model, long seed, String strategy, List<String> layers, double selectionMillis,
            TrainReport report) {}

    private final AdaptationTask task;
    private final Config config;

    public LayerSelectExperiment(AdaptationTask task, Config config) {
        this.task = task;
        this.config = config;
    }

    /** The strategies of spec §5, with the experiment's k (AdaBet's k from ρ must agree). */
    public List<LayerSelectionStrategy> strategies() {
        AdaBetConfig adabet = AdaBetConfig.of(config.rho());
        return List.of(new FullFineTuning(), new AdaBetSelection(adabet),
                new AdaBetSelection(adabet.withNormalization(AdaBetConfig.Normalization.NONE)),
                new GradientNormSelection(config.k(), 32), new FisherSelection(config.k(), 32),
                new LastKLayers(config.k()), new LastKLayers(1), new RandomLayers(config.k()));
    }

    public List<Row> run(String modelName, BiFunction<Integer, Rng, Module> factory, long seed) {
        Rng rng = new Rng(seed);
        Module model = factory.apply(task.classes(), rng.split());
        int candidates = CandidateLayers.discover(model).size();
        if (AdaBetConfig.of(config.rho()).layersToTrain(candidates) != config.k()) {
            throw new IllegalArgumentException("rho " + config.rho() + " gives k = " + AdaBetConfig.of(config.rho())
                    .layersToTrain(candidates) + " on " + candidates + " layers, not the configured k " + config.k());
        }
        SelectiveTrainer trainer = new SelectiveTrainer();
        LOG.info("{} seed {}: pretraining on {} source images of task {}", modelName, seed, task.source().size(),
                task.name());
        trainer.train(model, trainer.apply(model, new FullFineTuning().select(model, task.source(), rng)),
                task.source(), task.source().head(Math.min(500, task.source().size())), config.pretrain(), rng.split(),
                modelName + " pretrain");
        Map<String, INDArray> pretrained = snapshot(model);
        Dataset adaptation = task.adaptationSet(config.adaptationSize(), rng.split());
        Map<String, TrainReport> bySet = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        long trainSeed = rng.nextLong();
        for (LayerSelectionStrategy strategy : strategies()) {
            restore(model, pretrained);
            model.unfreeze();
            Selection selection = strategy.select(model, adaptation, new Rng(seed * 1000 + 17));
            String key = String.join("+", new TreeSet<>(selection.trainable()));
            LOG.info("{} seed {}: {} selects {} ({} ms)", modelName, seed, strategy.name(), selection.trainable(),
                    selection.selectionTime().toMillis());
            TrainReport report = bySet.get(key);
            if (report == null) {
                restore(model, pretrained);
                FreezePlan plan = trainer.apply(model, selection);
                report = trainer.train(model, plan, adaptation, task.targetTest(), config.adapt(), new Rng(trainSeed),
                        modelName + " " + strategy.name());
                bySet.put(key, report);
            }
            rows.add(new Row(modelName, seed, strategy.name(), selection.trainable(),
                    selection.selectionTime().toNanos() / 1e6, report));
        }
        restore(model, pretrained);
        model.unfreeze();
        return rows;
    }

    private static Map<String, INDArray> snapshot(Module model) {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> copy.put(name, p.value().dup()));
        return copy;
    }

    private static void restore(Module model, Map<String, INDArray> values) {
        Map<String, Tensor> params = model.namedParameters();
        values.forEach((name, v) -> params.get(name).value().assign(v));
    }

    /** mlp6 and cnn7 factories for {@link #run}. */
    public static Module mlp6(int classes, Rng rng) {
        return new Mlp6(classes, DataType.FLOAT, rng);
    }

    public static Module cnn7(int classes, Rng rng) {
        return new Cnn7(classes, DataType.FLOAT, rng);
    }
}
