package org.leantrain.examples;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.leantrain.core.data.CharCorpus;
import org.leantrain.core.nn.CausalLm;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.optim.LrSchedule;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.train.Trainer;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code leantrain char-lm}: a tiny causal transformer on characters, against the unigram entropy. */
@Command(name = "char-lm", mixinStandardHelpOptions = true,
        description = "Train a small character-level causal transformer; compare its validation loss with the"
                + " unigram entropy of the text.")
public final class CharLmCommand implements Callable<Integer> {
    @Option(names = "--text", defaultValue = "../shared/data/devil/devil.dict.dz",
            description = "text file, plain or gzip/dictzip (default: ${DEFAULT-VALUE}, The Devil's Dictionary)")
    Path text;

    @Mixin
    RunOptions run;

    @Option(names = "--steps", defaultValue = "600", description = "training steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch-size", defaultValue = "32", description = "windows per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--context", defaultValue = "64", description = "window length (default: ${DEFAULT-VALUE})")
    int context;

    @Option(names = "--dim", defaultValue = "64", description = "model width (default: ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--heads", defaultValue = "4", description = "attention heads (default: ${DEFAULT-VALUE})")
    int heads;

    @Option(names = "--layers", defaultValue = "2", description = "transformer blocks (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--lr", defaultValue = "0.003",
            description = "peak learning rate of AdamW, warm-up then cosine decay (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    private static final int EVAL_BATCHES = 8;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || batchSize < 1) {
            throw new IllegalArgumentException("--steps and --batch-size must be >= 1, got " + steps + ", " + batchSize);
        }
        CharCorpus corpus = CharCorpus.read(text, 0.1); // before the results folder, so a bad --text leaves nothing
        Path dir = run.start("char-lm");
        Rng rng = new Rng(seed);
        CausalLm lm = new CausalLm(new CausalLm.Config(corpus.vocabularySize(), dim, heads, layers, context, 0.0),
                DataType.FLOAT, rng.split());
        double unigram = corpus.unigramEntropy();
        System.out.printf("char-lm: %d training / %d validation characters, alphabet %d, %d parameters; unigram"
                        + " entropy %.3f nats/char; results in %s%n", corpus.train().length, corpus.validation().length,
                corpus.vocabularySize(), lm.parameterCount(), unigram, dir);

        Trainer trainer = new Trainer("char-lm", Adam.adamW(lm.parameters(), learningRate, 0.01), steps,
                Math.max(1, steps / 12))
                .schedule(LrSchedule.linearWarmup(Math.min(50, steps / 10), LrSchedule.cosine(learningRate,
                        learningRate / 10, steps)))
                .clipGradNorm(1.0);
        int[] train = corpus.train();
        CsvTable validation = new CsvTable("step", "val_loss");
        int evalEvery = Math.max(1, steps / 6);
        for (int s = 1; s <= steps; s++) {
            int[][][] batch = CharCorpus.windows(train, batchSize, context, rng);
            lm.train(true);
            trainer.step(() -> lm.loss(batch[0], batch[1]));
            if (s % evalEvery == 0 || s == steps) {
                double val = validationLoss(lm, corpus.validation(), new Rng(seed + 1));
                validation.add(s, val);
                System.out.printf("char-lm step %d: validation loss %.3f nats/char (unigram %.3f)%n", s, val, unigram);
            }
        }
        double finalVal = validation.column("val_loss")[validation.size() - 1];
        int[] prompt = corpus.encode("A");
        String sample = corpus.decode(lm.sample(prompt, 200, 0.8, 0, new Rng(seed + 2)));

        trainer.log().write(dir.resolve("train_loss.csv"));
        validation.write(dir.resolve("val_loss.csv"));
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("train loss", new double[][] {trainer.log().column("step"), trainer.log().column("loss")});
        series.put("validation loss", new double[][] {validation.column("step"), validation.column("val_loss")});
        series.put("unigram entropy", new double[][] {{1, steps}, {unigram, unigram}});
        Plots.lines(dir.resolve("loss.png"), "char-level transformer LM", "step", "nats per character", series, false);
        java.nio.file.Files.writeString(dir.resolve("sample.txt"), sample + "\n");
        double seconds = trainer.elapsedSeconds();
        new Metrics()
                .put("unigram_entropy_nats", unigram)
                .put("val_loss_nats", finalVal)
                .put("val_bits_per_char", finalVal / Math.log(2))
                .put("val_loss_vs_unigram", finalVal / unigram)
                .put("final_train_loss", trainer.log().column("loss")[steps - 1])
                .put("steps", steps)
                .put("steps_per_second", steps / seconds)
                .write(dir);
        System.out.printf("char-lm: validation loss %.3f nats/char = %.3f bits/char, %.2f× the unigram entropy;"
                + " %.1f steps/s%n", finalVal, finalVal / Math.log(2), finalVal / unigram, steps / seconds);
        System.out.println("char-lm: sample: " + sample.replace('\n', ' '));
        System.out.println("char-lm: wrote metrics.json, train_loss.csv, val_loss.csv, loss.png, sample.txt to " + dir);
        return 0;
    }

    /** Mean loss over fixed validation windows, without recording. */
    private double validationLoss(CausalLm lm, int[] ids, Rng rng) {
        lm.eval();
        double sum = 0;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int b = 0; b < EVAL_BATCHES; b++) {
                int[][][] batch = CharCorpus.windows(ids, batchSize, context, rng);
                sum += lm.loss(batch[0], batch[1]).item();
            }
        }
        return sum / EVAL_BATCHES;
    }
}
