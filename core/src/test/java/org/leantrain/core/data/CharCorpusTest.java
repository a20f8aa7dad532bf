package org.leantrain.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;

class CharCorpusTest {
    @Test
    void encodesSplitsAndMeasuresTheUnigramEntropy() {
        CharCorpus c = new CharCorpus("ab".repeat(100), 0.1);
        assertEquals(2, c.vocabularySize());
        assertEquals(180, c.train().length);
        assertEquals(20, c.validation().length);
        assertEquals(Math.log(2), c.unigramEntropy(), 1e-12);
        assertEquals("abba", c.decode(c.encode("abba")));
        assertThrows(IllegalArgumentException.class, () -> c.encode("abc"));
    }

    @Test
    void windowsAreShiftedByOne() {
        int[] ids = new int[50];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        int[][][] w = CharCorpus.windows(ids, 3, 10, new Rng(1));
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 10; t++) {
                assertEquals(w[0][b][t] + 1, w[1][b][t]);
            }
        }
        assertArrayEquals(w[0][0], CharCorpus.windows(ids, 3, 10, new Rng(1))[0][0]);
    }

    @Test
    void readsTheDictzippedDevilsDictionary() throws IOException {
        Path devil = Path.of(System.getProperty("leantrain.data.dir", "../shared/data")).resolve("devil/devil.dict.dz");
        CharCorpus c = CharCorpus.read(devil, 0.1);
        assertEquals(383656, c.train().length + c.validation().length);
        assertTrue(c.unigramEntropy() > 2.5 && c.unigramEntropy() < 3.5);
        assertThrows(NoSuchFileException.class, () -> CharCorpus.read(devil.resolveSibling("nope"), 0.1));
    }
}
