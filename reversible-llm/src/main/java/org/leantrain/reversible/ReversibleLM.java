package org.leantrain.reversible;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** The reversible character LM: the same embeddings, blocks, final norm and head as {@link StandardLM}, integrated by a {@link ReversibleStack}. */
public final class ReversibleLM extends LanguageModel {
    private final List<Block> blocks = new ArrayList<>();
    private final ReversibleStack stack;

    public ReversibleLM(LmShape shape, ReversibleConfig config, DataType type, Rng rng) {
        this(shape, config, false, type, rng);
    }

    /** @param twoBlockIncrements layer l adds f_{l−1} + f_l (a TWO_BLOCK conversion target) */
    public ReversibleLM(LmShape shape, ReversibleConfig config, boolean twoBlockIncrements, DataType type, Rng rng) {
        super(shape, type, rng);
        double p = config.dropout();
        for (int l = 0; l < shape.layers(); l++) {
            blocks.add(new Block(shape.dim(), shape.heads(), l, p, dropoutKeys, type, rng));
        }
        Block bootstrap = config.boundary() == Boundary.EULER_BOOTSTRAP
                ? new Block(shape.dim(), shape.heads(), -1, p, dropoutKeys, type, rng) : null;
        this.stack = child("stack", new ReversibleStack(blocks, config, bootstrap, twoBlockIncrements));
        registerReadout();
    }

    public ReversibleStack stack() {
        return stack;
    }

    @Override
    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    @Override
    protected Tensor body(Tensor e) {
        return stack.forward(e);
    }
}
