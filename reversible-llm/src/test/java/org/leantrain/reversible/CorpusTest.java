package org.leantrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.leantrain.core.data.CharCorpus;

/** Spec §6.9: The Devil's Dictionary as the quick experiment reads it, and its n-gram floors. */
class CorpusTest {

    static Path dictionary() {
        Path file = Path.of(System.getProperty("leantrain.data.dir", "../shared/data"), "devil", "devil.dict.dz");
        assertTrue(Files.isRegularFile(file), "The Devil's Dictionary is expected at " + file.toAbsolutePath()
                + " (set -Dleantrain.data.dir, or see the README for getting dict-devil)");
        return file;
    }

    @Test
    void decompressedTextHasTheDocumentedSizeAlphabetAndHash() throws Exception {
        byte[] text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dictionary()))) {
            text = in.readAllBytes();
        }
        assertEquals(383_656, text.length);
        for (byte b : text) {
            assertTrue(b >= 0, "non-ASCII byte");
        }
        assertEquals("703d1225d2fb927653bfd8b00e4e96938e0b630c6023edd26702ac6ed50383f8",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text)));
        CharCorpus corpus = DevilsDictionary.load(dictionary());
        assertEquals(85, corpus.vocabularySize());
        assertEquals(345_290, corpus.train().length);
        assertEquals(38_366, corpus.validation().length);
    }

    @Test
    void bigramAndUnigramFloorsMatchTheReference() throws Exception {
        CharCorpus corpus = DevilsDictionary.load(dictionary());
        BigramLM bigram = new BigramLM(corpus.train(), corpus.vocabularySize());
        assertEquals(2.5424, bigram.crossEntropy(corpus.validation()), 1e-3);
        assertEquals(3.0976, bigram.unigramCrossEntropy(corpus.validation()), 1e-3);
    }
}
