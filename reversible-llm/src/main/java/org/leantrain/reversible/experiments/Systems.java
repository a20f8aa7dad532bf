package org.leantrain.reversible.experiments;

import org.leantrain.core.util.Rng;
import org.leantrain.reversible.LanguageModel;
import org.leantrain.reversible.LmShape;
import org.leantrain.reversible.ReversibleConfig;
import org.leantrain.reversible.ReversibleLM;
import org.leantrain.reversible.ReversibleRule;
import org.leantrain.reversible.StandardLM;
import org.nd4j.linalg.api.buffer.DataType;

/** The systems the experiments compare, by name: the two baselines and each reversible rule (REVERSIBLE memory). */
public enum Systems {
    STANDARD("standard"),
    CHECKPOINTED("checkpointed"),
    MIDPOINT("midpoint"),
    LEAPFROG("leapfrog"),
    HAMILTONIAN("hamiltonian"),
    STOCHASTIC_MIDPOINT("stoch_mid");

    private final String label;

    Systems(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The quick model of spec §7: d = 64, 4 heads, MLP 4×, T = 64, dropout 0; the loss chunked by 512 rows. */
    public static LmShape quickShape(int vocab, int layers) {
        return new LmShape(vocab, 64, 4, layers, 64, 512);
    }

    public LanguageModel build(LmShape shape, long seed) {
        Rng rng = new Rng(seed);
        DataType f32 = DataType.FLOAT;
        return switch (this) {
            case STANDARD -> new StandardLM(shape, 0, false, f32, rng);
            case CHECKPOINTED -> new StandardLM(shape, 0, true, f32, rng);
            case MIDPOINT -> reversible(shape, new ReversibleRule.Midpoint(0.5), rng);
            case LEAPFROG -> reversible(shape, new ReversibleRule.Leapfrog(1), rng);
            case HAMILTONIAN -> reversible(shape, new ReversibleRule.Hamiltonian(), rng);
            case STOCHASTIC_MIDPOINT -> reversible(shape,
                    ReversibleRule.StochasticMidpoint.sample(shape.layers(), 1, new Rng(seed + 1)), rng);
        };
    }

    private static LanguageModel reversible(LmShape shape, ReversibleRule rule, Rng rng) {
        return new ReversibleLM(shape, ReversibleConfig.of(rule), DataType.FLOAT, rng);
    }
}
