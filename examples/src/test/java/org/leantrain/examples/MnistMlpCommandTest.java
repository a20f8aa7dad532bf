package org.leantrain.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MnistMlpCommandTest {
    private static String mnist() {
        return Path.of(System.getProperty("leantrain.data.dir", "../shared/data")).resolve("mnist").toString();
    }

    @Test
    void shortRunWritesTheResultsContract(@TempDir Path out) throws Exception {
        int code = LeantrainCli.commandLine(LeantrainCli.class).execute("mnist-mlp", "--data", mnist(), "--out",
                out.toString(), "--epochs", "2", "--train-limit", "6000", "--hidden", "128", "--lr", "0.1");
        assertEquals(0, code);
        String json = Files.readString(out.resolve("metrics.json"));
        Matcher accuracy = Pattern.compile("\"test_accuracy\": ([0-9.]+)").matcher(json);
        assertTrue(accuracy.find(), json);
        assertTrue(Double.parseDouble(accuracy.group(1)) > 0.88, json);
        assertTrue(Files.size(out.resolve("loss.png")) > 1000);
        assertTrue(Files.readString(out.resolve("loss.csv")).startsWith("step,epoch,train_loss\n"));
    }

    @Test
    void shortCnnAndCharLmRunsWriteTheirMetrics(@TempDir Path out) throws Exception {
        int cnn = LeantrainCli.commandLine(LeantrainCli.class).execute("mnist-cnn", "--data", mnist(), "--out",
                out.resolve("cnn").toString(), "--epochs", "1", "--train-limit", "2000", "--channels", "4");
        assertEquals(0, cnn);
        assertTrue(Files.readString(out.resolve("cnn/metrics.json")).contains("\"test_accuracy\""));
        Path devil = Path.of(System.getProperty("leantrain.data.dir", "../shared/data")).resolve("devil/devil.dict.dz");
        int lm = LeantrainCli.commandLine(LeantrainCli.class).execute("char-lm", "--text", devil.toString(), "--out",
                out.resolve("lm").toString(), "--steps", "30", "--dim", "16", "--heads", "2", "--layers", "1",
                "--context", "16", "--batch-size", "8");
        assertEquals(0, lm);
        String json = Files.readString(out.resolve("lm/metrics.json"));
        Matcher val = Pattern.compile("\"val_loss_nats\": ([0-9.]+)").matcher(json);
        Matcher unigram = Pattern.compile("\"unigram_entropy_nats\": ([0-9.]+)").matcher(json);
        assertTrue(val.find() && unigram.find(), json);
        // 30 steps already beat a uniform guess over the alphabet, ln(85) ≈ 4.44 nats
        assertTrue(Double.parseDouble(val.group(1)) < Math.log(85), json);
        assertTrue(Files.exists(out.resolve("lm/sample.txt")));
    }

    @Test
    void missingDataGivesOneClearLine(@TempDir Path out) {
        StringWriter err = new StringWriter();
        CommandLine cli = LeantrainCli.commandLine(LeantrainCli.class);
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("mnist-mlp", "--data", out.resolve("no-such-dir").toString(), "--out", out.toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("no-such-dir") && err.toString().contains("mnist-data"), err.toString());
    }

    @Test
    void invalidHyperparametersAreNamed(@TempDir Path out) {
        StringWriter err = new StringWriter();
        CommandLine cli = LeantrainCli.commandLine(LeantrainCli.class);
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("mnist-mlp", "--data", mnist(), "--out", out.toString(), "--lr", "-1");
        assertEquals(1, code);
        assertTrue(err.toString().contains("learningRate") && err.toString().contains("-1"), err.toString());
    }

    @Test
    void slf4jIsBoundToARealProvider() {
        String factory = org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName();
        assertTrue(factory.contains("Simple"), "SLF4J bound to " + factory + " instead of slf4j-simple; ND4J's"
                + " slf4j-api 1.7 would silence logging");
    }
}
