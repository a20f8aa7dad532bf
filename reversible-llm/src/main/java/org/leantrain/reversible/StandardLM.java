package org.leantrain.reversible;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.tensor.Checkpoint;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The baseline: forward-Euler residual blocks p_{l+1} = p_l + f_l(p_l) with every activation stored — or, with
 * {@code checkpointBlocks} (the "CheckpointedStandardLM" of spec §5), each block re-materialised in backward from
 * its stored input (O(L) states kept, one block recompute per layer: the fair memory competitor).
 */
public final class StandardLM extends LanguageModel {
    private final List<Block> blocks = new ArrayList<>();
    private final boolean checkpointBlocks;

    public StandardLM(LmShape shape, double dropout, boolean checkpointBlocks, DataType type, Rng rng) {
        super(shape, type, rng);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        for (int l = 0; l < shape.layers(); l++) {
            blocks.add(child("block" + l, new Block(shape.dim(), shape.heads(), l, dropout, dropoutKeys, type, rng)));
        }
        registerReadout();
        this.checkpointBlocks = checkpointBlocks;
    }

    public StandardLM(LmShape shape, DataType type, Rng rng) {
        this(shape, 0, false, type, rng);
    }

    public boolean checkpointBlocks() {
        return checkpointBlocks;
    }

    @Override
    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    @Override
    protected Tensor body(Tensor e) {
        Tensor p = e;
        for (Block b : blocks) {
            p = checkpointBlocks ? Checkpoint.apply(b::forward, p, b.parameters()) : b.forward(p);
        }
        return p;
    }
}
