package org.leantrain.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ThreadsTest {
    @Test
    void threadCountIsSetAndRead() {
        int before = Threads.nd4jThreads();
        try {
            Threads.setNd4jThreads(1);
            assertEquals(1, Threads.nd4jThreads());
        } finally {
            Threads.setNd4jThreads(before);
        }
        assertEquals(before, Threads.nd4jThreads());
        assertThrows(IllegalArgumentException.class, () -> Threads.setNd4jThreads(0));
    }
}
