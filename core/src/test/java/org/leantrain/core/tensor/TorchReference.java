package org.leantrain.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Values computed once with PyTorch 1.13 in float64 by {@code reference/make_reference.py} and stored beside it
 * in {@code reference/torch_reference.txt} ("name|shape|values" per line).
 */
public final class TorchReference {
    public static final double TOL = 1e-10;
    private static Map<String, INDArray> values;

    private TorchReference() {}

    public static synchronized INDArray get(String name) {
        if (values == null) {
            values = load();
        }
        INDArray v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no reference value '" + name + "'; rerun make_reference.py");
        }
        return v.dup();
    }

    private static Map<String, INDArray> load() {
        Map<String, INDArray> map = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                TorchReference.class.getResourceAsStream("/reference/torch_reference.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split("\\|");
                long[] shape = parts[1].isEmpty() ? new long[0]
                        : Arrays.stream(parts[1].split(",")).mapToLong(Long::parseLong).toArray();
                double[] v = Arrays.stream(parts[2].trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
                map.put(parts[0], Nd4j.create(v, shape, DataType.DOUBLE));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return map;
    }

    /** Asserts actual equals the reference to {@link #TOL} relative to the reference's magnitude (at least 1). */
    public static void assertClose(String name, INDArray actual) {
        INDArray expected = get(name);
        assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
        double diff = expected.sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        assertEquals(0, diff / scale, TOL, name + " differs from PyTorch by " + diff);
    }
}
