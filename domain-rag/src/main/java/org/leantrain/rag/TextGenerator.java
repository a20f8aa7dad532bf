package org.leantrain.rag;

import java.util.List;
import org.leantrain.core.util.Rng;

/** What the expansion pipeline needs from a language model: batched continuation of token prompts. */
@FunctionalInterface
public interface TextGenerator {
    Generator.Result generate(List<int[]> prompts, SamplingConfig cfg, Rng rng);

    static TextGenerator of(TinyCausalLm lm, WordTokenizer tok) {
        int eos = tok.id(Formats.EOS);
        return (prompts, cfg, rng) -> Generator.generate(lm, prompts, cfg, rng, eos);
    }
}
