package org.leantrain.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/** Spec §6.1: the balanced split. */
class MicroBatcherTest {
    @Test
    void sizesAreBalanced() {
        assertArrayEquals(new int[] {3, 3, 2, 2}, MicroBatcher.sizes(10, 4));
        assertArrayEquals(new int[] {3, 2, 2, 2}, MicroBatcher.sizes(9, 4));
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1}, MicroBatcher.sizes(8, 8));
        assertArrayEquals(new int[] {0, 3, 5, 7}, MicroBatcher.offsets(MicroBatcher.sizes(9, 4)));
    }

    @Test
    void scatterThenGatherIsBitExact() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Tensor x = TestModels.normal(type, 3, 10, 3, 2);
            List<Tensor> parts = MicroBatcher.scatter(x, 4);
            assertEquals(4, parts.size());
            assertArrayEquals(new long[] {2, 3, 2}, parts.get(3).shape());
            assertEquals(x.value(), MicroBatcher.gather(parts).value());
        }
    }

    @Test
    void rejectsMoreMicroBatchesThanRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MicroBatcher.sizes(3, 4));
        assertEquals(true, e.getMessage().contains("M <= N"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MicroBatcher.sizes(3, 0));
    }
}
