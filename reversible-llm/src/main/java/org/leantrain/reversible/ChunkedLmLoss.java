package org.leantrain.reversible;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.nn.LayerNorm;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.tensor.Checkpoint;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Tensor;

/**
 * Final LayerNorm, LM head and mean cross-entropy over rows of the hidden states, computed in chunks of c rows
 * under re-materialisation, so what is kept for backward is the hidden states plus one chunk's logits (O(c·V))
 * instead of all N·V logits — with a large vocabulary the logits, not the blocks, dominate memory (spec §2).
 */
public final class ChunkedLmLoss {
    private final LayerNorm norm;
    private final Linear head;

    public ChunkedLmLoss(LayerNorm norm, Linear head) {
        this.norm = norm;
        this.head = head;
    }

    /**
     * Mean cross-entropy of targets (one per row of h, flattened [B·T]) given hidden states h [B, T, d];
     * chunkRows 0 or ≥ B·T computes it in one piece with plain autograd.
     */
    public Tensor loss(Tensor h, int[] targets, int chunkRows) {
        long rows = h.size(0) * h.size(1);
        if (targets.length != rows) {
            throw new IllegalArgumentException("got " + targets.length + " targets for " + rows + " hidden rows");
        }
        if (chunkRows < 0) {
            throw new IllegalArgumentException("chunkRows must be >= 0, got " + chunkRows);
        }
        Tensor flat = h.reshape(rows, h.size(2));
        if (chunkRows == 0 || chunkRows >= rows) {
            return Losses.crossEntropy(head.forward(norm.forward(flat)), targets);
        }
        List<Tensor> parameters = new ArrayList<>(norm.parameters());
        parameters.addAll(head.parameters());
        Tensor total = null;
        for (int start = 0; start < rows; start += chunkRows) {
            int end = (int) Math.min(rows, start + (long) chunkRows);
            int[] chunkTargets = java.util.Arrays.copyOfRange(targets, start, end);
            double weight = (double) (end - start) / rows;
            Tensor part = Checkpoint.apply(
                    x -> Losses.crossEntropy(head.forward(norm.forward(x)), chunkTargets).mul(weight),
                    flat.slice(0, start, end), parameters);
            total = total == null ? part : total.add(part);
        }
        return total;
    }
}
