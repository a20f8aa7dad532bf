package org.leantrain.reversible.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.leantrain.reversible.Block;
import org.leantrain.reversible.ReconstructionProbe;
import org.leantrain.reversible.ReversibleConfig;
import org.leantrain.reversible.ReversibleRule;
import org.leantrain.reversible.ReversibleStack;
import org.leantrain.reversible.StateMode;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The reconstruction-drift setup of spec §2: d = 64, 4 heads, T = 32, B = 4, x ~ N(0, 1); linear weights
 * U(±1/√fan_in) times {@code weightScale} (1 = "init", 4 = "grown", mimicking trained weights), biases 0,
 * LayerNorm γ = 1, β = 0.
 */
public final class DriftSetup {
    private DriftSetup() {}

    /** The rule for a stack of {@code layers}: a stochastic midpoint drawn for more layers keeps its first a_l. */
    public static ReversibleRule forDepth(ReversibleRule rule, int layers) {
        return rule instanceof ReversibleRule.StochasticMidpoint s
                ? new ReversibleRule.StochasticMidpoint(s.h(), java.util.Arrays.copyOf(s.a(), layers)) : rule;
    }

    /** e_rec of a stack of {@code layers} such blocks under the given rule and state mode. */
    public static double drift(ReversibleRule rule, int layers, DataType type, double weightScale, int checkpointEvery,
                               StateMode state) {
        Rng rng = new Rng(7);
        List<Block> blocks = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            Block b = new Block(64, 4, l, 0, null, type, rng);
            for (Map.Entry<String, Tensor> p : b.namedParameters().entrySet()) {
                boolean linear = !p.getKey().startsWith("norm");
                if (linear && p.getKey().endsWith("bias")) {
                    p.getValue().value().assign(0);
                } else if (linear) {
                    p.getValue().value().muli(weightScale);
                }
            }
            blocks.add(b);
        }
        ReversibleConfig config = ReversibleConfig.of(rule).withCheckpointEvery(checkpointEvery).withState(state);
        ReversibleStack stack = new ReversibleStack(blocks, config);
        Tensor x = Tensor.of(new Rng(3).normal(type, 0, 1, 4, 32, 64));
        return ReconstructionProbe.measure(stack, x).relativeError();
    }
}
