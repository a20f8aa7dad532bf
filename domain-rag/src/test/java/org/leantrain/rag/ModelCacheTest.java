package org.leantrain.rag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** The experiment's model cache: a model is trained and saved once, then loaded exactly instead of retrained. */
class ModelCacheTest {
    private static final LmConfig SMALL = new LmConfig(12, 8, 1, 2, 16, 10);

    @Test
    void trainsAndSavesOnceThenLoadsWithoutTraining(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub").resolve("model.bin");
        TinyCausalLm trained = new TinyCausalLm(SMALL, DataType.FLOAT, new Rng(1));
        int[] calls = {0};
        boolean loaded = DomainRagExperiment.loadOrTrain(trained, file, "test", () -> {
            calls[0]++;
            trained.parameters().forEach(p -> p.value().addi(0.5));
        });
        assertFalse(loaded, "nothing to load the first time");
        assertTrue(calls[0] == 1 && Files.exists(file), "trained once and saved");
        assertFalse(Files.exists(file.resolveSibling("model.bin.part")), "the temporary file is renamed");

        TinyCausalLm other = new TinyCausalLm(SMALL, DataType.FLOAT, new Rng(2));
        assertTrue(DomainRagExperiment.loadOrTrain(other, file, "test", () -> fail("must load, not train")));
        for (int i = 0; i < trained.parameters().size(); i++) {
            assertArrayEquals(trained.parameters().get(i).value().ravel().toFloatVector(),
                    other.parameters().get(i).value().ravel().toFloatVector(), "parameter " + i);
        }
    }
}
