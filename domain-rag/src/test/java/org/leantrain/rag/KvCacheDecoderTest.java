package org.leantrain.rag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** KV-cache decoding against the full forward pass of every row's own unpadded sequence (float64). */
class KvCacheDecoderTest {
    private static final LmConfig TWO_LAYERS = new LmConfig(12, 8, 2, 2, 16, 12);

    @Test
    void cachedLogitsEqualTheFullPassAtEveryStep() {
        TinyCausalLm lm = new TinyCausalLm(TWO_LAYERS, DataType.DOUBLE, new Rng(3));
        // larger weights than the N(0, 0.02) start, so that attention is far from uniform
        lm.parameters().forEach(p -> p.value().muli(3));
        List<int[]> prompts = List.of(new int[] {1, 5}, new int[] {1, 4, 4, 6, 8}, new int[] {3, 9, 2});
        KvCacheDecoder cache = new KvCacheDecoder(lm, prompts, 3);
        List<int[]> seqs = new ArrayList<>(prompts);
        double[][] logits = cache.prefill(prompts);
        int[][] appended = {{7, 2, 11}, {0, 10, 5}, {6, 6, 1}};
        for (int step = 0; ; step++) {
            for (int i = 0; i < prompts.size(); i++) {
                int[] s = seqs.get(i);
                double[] full = lm.nextTokenLogits(new int[][] {s}, new int[] {s.length})[0];
                assertTrue(Arrays.stream(full).allMatch(Double::isFinite));
                assertArrayEquals(full, logits[i], 1e-12, "row " + i + " after " + step + " appended tokens");
            }
            if (step == appended.length) {
                break;
            }
            for (int i = 0; i < prompts.size(); i++) {
                int[] s = Arrays.copyOf(seqs.get(i), seqs.get(i).length + 1);
                s[s.length - 1] = appended[step][i];
                seqs.set(i, s);
            }
            logits = cache.append(appended[step]);
        }
        assertThrows(IllegalStateException.class, () -> cache.append(new int[] {1, 1, 1}), "room for 3 tokens only");
    }

    @Test
    void generationWithTheCacheEqualsGenerationByFullPasses() {
        TinyCausalLm lm = new TinyCausalLm(TWO_LAYERS, DataType.DOUBLE, new Rng(4));
        lm.parameters().forEach(p -> p.value().muli(3));
        // the long prompt reaches the context (12) after 3 new tokens; token 2 plays <eos>
        List<int[]> prompts = List.of(new int[] {1, 5}, new int[] {1, 4, 4, 6, 8, 3, 3, 7, 9}, new int[] {3, 9, 2});
        SamplingConfig cfg = new SamplingConfig(1.0, 0, 1.0, 6);
        for (long seed = 0; seed < 5; seed++) {
            Generator.Result cached = Generator.generate(lm, prompts, cfg, new Rng(seed), 2,
                    Generator.Decoding.KV_CACHE);
            Generator.Result full = Generator.generate(lm, prompts, cfg, new Rng(seed), 2,
                    Generator.Decoding.RECOMPUTE);
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(full.completions().get(i), cached.completions().get(i), "seed " + seed + " row " + i);
            }
            assertArrayEquals(full.stopped(), cached.stopped());
            assertEquals(full.generatedTokens(), cached.generatedTokens());
            assertTrue(cached.completions().get(1).length <= 3, "the context bounds the long row");
        }
    }
}
