package org.leantrain.reversible;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.leantrain.core.data.CharCorpus;

/**
 * The quick experiment's corpus: The Devil's Dictionary (Bierce, 1911, public domain) from Debian's
 * {@code dict-devil} package, file {@code usr/share/dictd/devil.dict.dz} (dictzip, gzip-readable). The whole
 * decompressed file (383,656 ASCII characters, 85 distinct) is used; train/val are its first 90% / last 10%.
 */
public final class DevilsDictionary {
    public static final Path DEFAULT = Path.of("..", "shared", "data", "devil", "devil.dict.dz");

    private DevilsDictionary() {}

    public static CharCorpus load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("The Devil's Dictionary was not found at " + file.toAbsolutePath()
                    + ". Get it with: apt-get download dict-devil && dpkg-deb -x dict-devil_*.deb dict-devil,"
                    + " then pass dict-devil/usr/share/dictd/devil.dict.dz");
        }
        return CharCorpus.read(file, 0.1);
    }
}
