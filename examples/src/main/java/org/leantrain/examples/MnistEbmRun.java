package org.leantrain.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.data.Mnist;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Progress;
import org.leantrain.core.util.Rng;
import org.leantrain.ebm.ConfinedNeuralEnergy;
import org.leantrain.ebm.EbmTrainer;
import org.leantrain.ebm.ResamplingScheme;
import org.leantrain.ebm.SamplingMethod;
import org.leantrain.ebm.StepStats;
import org.leantrain.ebm.experiments.MnistExperiment;
import org.leantrain.ebm.metrics.ModeWeightEvaluator;
import org.leantrain.ebm.mnist.DigitClassifier;
import org.leantrain.ebm.mnist.MnistSubset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** E3-quick of the ebm spec: Jarzynski vs PCD(MODEL) on MNIST 2/3/6 at 4:2:1, class fractions by a classifier. */
final class MnistEbmRun {
    private final Path mnistDir;
    private final MnistExperiment.Settings settings;

    MnistEbmRun(Path mnistDir, Integer updates, Integer walkers) {
        this.mnistDir = mnistDir;
        MnistExperiment.Settings s = MnistExperiment.quick();
        if (updates != null) {
            s = s.withUpdates(updates);
        }
        if (walkers != null) {
            s = s.withWalkers(walkers);
        }
        this.settings = s;
    }

    static void checkData(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir + " (MNIST directory for mnist236): " + Mnist.HOW_TO_GET);
        }
    }

    void run(Path out, Metrics metrics) throws IOException {
        Mnist mnist = Mnist.load(mnistDir);
        Dataset data = MnistExperiment.data(mnist);
        Rng rng = new Rng(0);
        System.out.printf("%nmnist236: %d images (2/3/6 at 4:2:1), N = %d walkers, %d×%d walkers × K = %d moves per"
                        + " update, h = %.0e, T = %.0e, %d updates%n", data.size(), settings.walkers(),
                settings.miniBatches(), settings.miniBatchSize(), settings.stepsPerUpdate(), settings.stepSize(),
                settings.temperature(), settings.updates());
        DigitClassifier classifier = DigitClassifier.train(MnistSubset.allOf(mnist.train(), MnistExperiment.DIGITS),
                3, 5, rng.split());
        double accuracy = classifier.accuracy(MnistSubset.allOf(mnist.test(), MnistExperiment.DIGITS));
        System.out.printf("  mode-weight classifier: test accuracy %.4f on digits 2/3/6%n", accuracy);
        if (accuracy < 0.98) {
            throw new IllegalStateException("the mode-weight classifier reached only " + accuracy
                    + " test accuracy (< 0.98 required before use)");
        }
        metrics.put("mnist236_classifier_accuracy", accuracy);
        ModeWeightEvaluator evaluator = new ModeWeightEvaluator(classifier, MnistExperiment.TARGET);
        INDArray eval = MnistExperiment.batch(data, 1000, new Rng(5));
        Map<String, double[][]> tvCurves = new LinkedHashMap<>();
        Map<String, double[][]> fractionCurves = new LinkedHashMap<>();
        int logEvery = Math.max(1, settings.updates() / 30);
        for (SamplingMethod method : new SamplingMethod[] {SamplingMethod.JARZYNSKI, SamplingMethod.PCD}) {
            String name = method == SamplingMethod.JARZYNSKI ? "jarzynski" : "pcd";
            ConfinedNeuralEnergy energy = MnistExperiment.energy(settings, new Rng(1));
            EbmTrainer trainer = MnistExperiment.trainer(settings, method, energy, 1);
            CsvTable curve = new CsvTable("update", "loss", "ess_fraction", "resamplings", "cross_entropy_estimate",
                    "fraction_2", "fraction_3", "fraction_6", "soft_fraction_2", "soft_fraction_3", "soft_fraction_6",
                    "tv", "uncertain_mass", "seconds");
            Progress progress = new Progress("mnist236 " + name, settings.updates(), Math.max(1, settings.updates() / 6));
            Rng batches = new Rng(2);
            double seconds = 0;
            double essSum = 0;
            ModeWeightEvaluator.Fractions last = null;
            for (int k = 1; k <= settings.updates(); k++) {
                StepStats stats = trainer.step(MnistExperiment.batch(data, settings.dataBatch(), batches));
                seconds += stats.seconds();
                essSum += stats.ess() / settings.walkers();
                progress.step(k, stats.loss());
                if (k % logEvery == 0 || k == settings.updates()) {
                    last = evaluator.evaluate(trainer.sampler().lossWalkers(), trainer.sampler().lossWeights());
                    double h = method == SamplingMethod.JARZYNSKI ? trainer.crossEntropyEstimate(eval) : Double.NaN;
                    curve.add(k, stats.loss(), stats.ess() / settings.walkers(), trainer.sampler().resamplings(), h,
                            last.hard()[0], last.hard()[1], last.hard()[2], last.soft()[0], last.soft()[1],
                            last.soft()[2], last.tv(), last.uncertain(), seconds);
                }
            }
            curve.write(out.resolve("mnist236_" + name + ".csv"));
            double[] x = curve.column("update");
            tvCurves.put(name, new double[][] {x, curve.column("tv")});
            for (int c = 0; c < 3; c++) {
                fractionCurves.put(name + " digit " + MnistExperiment.DIGITS[c],
                        new double[][] {x, curve.column("fraction_" + MnistExperiment.DIGITS[c])});
            }
            writeSampleGrid(trainer.sampler().lossWalkers(), trainer.sampler().lossWeights(),
                    out.resolve("mnist236_samples_" + name + ".png"));
            System.out.printf("  %-10s π = (%.3f, %.3f, %.3f) target (0.571, 0.286, 0.143)  TV %.3f  uncertain mass %.3f"
                            + "  resamplings %d  mean ESS/N %.2f  %.1f ms/update%n", name, last.hard()[0],
                    last.hard()[1], last.hard()[2], last.tv(), last.uncertain(), trainer.sampler().resamplings(),
                    essSum / settings.updates(), 1000 * seconds / settings.updates());
            metrics.put("mnist236_" + name + "_tv", last.tv());
            metrics.put("mnist236_" + name + "_ms_per_update", 1000 * seconds / settings.updates());
            if (method == SamplingMethod.JARZYNSKI) {
                metrics.put("mnist236_jarzynski_resamplings", trainer.sampler().resamplings());
                metrics.put("mnist236_jarzynski_mean_ess_fraction", essSum / settings.updates());
            }
        }
        Plots.lines(out.resolve("mnist236_tv.png"), "mnist236: TV of the weighted class fractions to 4:2:1", "update",
                "TV", tvCurves, false);
        Plots.lines(out.resolve("mnist236_class_fractions.png"), "mnist236: weighted class fractions (target"
                + " 0.571 / 0.286 / 0.143)", "update", "fraction", fractionCurves, false);
    }

    /** 8×8 walkers drawn by systematic resampling from their weights, so the grid shows the weighted population. */
    private static void writeSampleGrid(INDArray walkers, double[] p, Path file) throws IOException {
        int[] idx = ResamplingScheme.systematic(p, 0.5);
        double[][] x = walkers.castTo(DataType.DOUBLE).toDoubleMatrix();
        int cells = 8;
        BufferedImage img = new BufferedImage(cells * 30, cells * 30, BufferedImage.TYPE_BYTE_GRAY);
        for (int c = 0; c < cells * cells; c++) {
            double[] image = x[idx[(int) ((long) c * idx.length / (cells * cells))]];
            for (int pixel = 0; pixel < 784; pixel++) {
                int v = (int) Math.round(255 * Math.max(0, Math.min(1, (image[pixel] + 1) / 2)));
                img.getRaster().setSample(c % cells * 30 + 1 + pixel % 28, c / cells * 30 + 1 + pixel / 28, 0, v);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }
}
