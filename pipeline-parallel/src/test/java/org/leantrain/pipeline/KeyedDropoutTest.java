package org.leantrain.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Spec §6.9: reference vectors computed with Python's exact integers. */
class KeyedDropoutTest {
    @Test
    void splitMix64ReferenceOutputs() {
        Rng rng = new Rng(1234567);
        assertEquals("6457827717110365317", Long.toUnsignedString(rng.nextLong()));
        assertEquals("3203168211198807973", Long.toUnsignedString(rng.nextLong()));
        assertEquals("9817491932198370423", Long.toUnsignedString(rng.nextLong()));
        assertEquals(6457827717110365317L, KeyedDropout.mix64(1234567 + 0x9E3779B97F4A7C15L));
    }

    @Test
    void keysUniformsAndMask() {
        long key = KeyedDropout.key(42, 0, 3, 5);
        assertEquals("12935708839096714303", Long.toUnsignedString(key));
        assertEquals(0xb384dea7203d843fL, key);
        assertEquals("11477593297353849937", Long.toUnsignedString(KeyedDropout.key(42, 1, 3, 5)));
        double[] expected = {0.16369128, 0.94635057, 0.07481140, 0.41426206, 0.67226022, 0.77314240, 0.23430049,
                0.66144162};
        int[] keep = {0, 1, 0, 0, 1, 1, 0, 1};
        for (int j = 0; j < 8; j++) {
            assertEquals(expected[j], KeyedDropout.uniform(key, j), 1e-8);
            assertEquals(keep[j] == 1, KeyedDropout.uniform(key, j) >= 0.5);
        }
    }

    @Test
    void maskDependsOnGlobalRowsNotOnTheSplit() {
        KeyedDropout dropout = new KeyedDropout(0.5, 42, 3);
        Tensor x = Tensor.ones(DataType.DOUBLE, 8, 8);
        Tensor whole;
        try (var rows = KeyedDropout.rows(0, 0)) {
            whole = dropout.forward(x);
        }
        List<Tensor> parts = MicroBatcher.scatter(x, 3);
        int[] offsets = MicroBatcher.offsets(MicroBatcher.sizes(8, 3));
        for (int m = 0; m < 3; m++) {
            try (var rows = KeyedDropout.rows(0, offsets[m])) {
                Tensor part = dropout.forward(parts.get(m));
                assertEquals(whole.value().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offsets[m],
                        offsets[m] + part.size(0))), part.value());
            }
        }
        // row 5 of layer 3 at step 0: the mask of the reference vector, scaled by 1/(1−p)
        double[] row5 = whole.value().getRow(5).toDoubleVector();
        double[] expected = {0, 2, 0, 0, 2, 2, 0, 2};
        for (int j = 0; j < 8; j++) {
            assertEquals(expected[j], row5[j], 0);
        }
    }

    @Test
    void rejectsBadProbabilityAndMissingRowContext() {
        assertThrows(IllegalArgumentException.class, () -> new KeyedDropout(1.0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new KeyedDropout(-0.1, 1, 0));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new KeyedDropout(0.5, 1, 0).forward(Tensor.ones(DataType.DOUBLE, 2, 2)));
        assertEquals(true, e.getMessage().contains("KeyedDropout.rows"), e.getMessage());
    }
}
