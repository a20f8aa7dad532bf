package org.leantrain.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {
    @Test
    void writesAFlatJsonObjectOfNumbers(@TempDir Path dir) throws IOException {
        Path file = new Metrics().put("test_accuracy", 0.981).put("steps", 1407).missing("torch_ratio").write(dir);
        assertEquals("{\n  \"test_accuracy\": 0.981,\n  \"steps\": 1407,\n  \"torch_ratio\": null\n}\n",
                Files.readString(file));
    }

    @Test
    void refusesNonFiniteValuesAndBadNames() {
        assertThrows(IllegalArgumentException.class, () -> new Metrics().put("x", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Metrics().put("Bad Name", 1));
    }

    @Test
    void csvRoundTrip(@TempDir Path dir) throws IOException {
        CsvTable t = new CsvTable("step", "loss").add(1, 2.5).add(2, 1.25);
        t.write(dir.resolve("curve.csv"));
        assertEquals("step,loss\n1,2.5\n2,1.25\n", Files.readString(dir.resolve("curve.csv")));
        assertThrows(IllegalArgumentException.class, () -> t.add(1));
    }

    @Test
    void nanLossNamesTheStep() {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> new Progress("mlp", 10, 1)
                .step(7, Double.NaN));
        assertTrue(e.getMessage().contains("step 7"), e.getMessage());
    }
}
