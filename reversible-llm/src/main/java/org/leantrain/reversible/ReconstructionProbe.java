package org.leantrain.reversible;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reconstruction drift (spec §2): run the stack forward without recording, keep every state, then walk back from the
 * final pair exactly as backward would (replacing the pair with the stored exact one at checkpoint layers) and
 * compare: e_rec = max_l ‖p̂_l − p_l‖_∞ / max_l ‖p_l‖_∞ (HAMILTONIAN: over both streams).
 */
public final class ReconstructionProbe {
    private ReconstructionProbe() {}

    /** The drift and the largest state magnitude. */
    public record DriftReport(double relativeError, double maxAbsState) {}

    public static DriftReport measure(ReversibleStack stack, Tensor embedding) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor[] boundary = stack.boundary(embedding);
            StateWalk walk = new StateWalk(stack, embedding.dataType());
            int depth = stack.depth();
            int every = stack.config().checkpointEvery();
            List<INDArray[]> exact = new ArrayList<>();
            Map<Integer, INDArray[]> stored = new HashMap<>();
            INDArray[] pair = walk.start(boundary[0].value(), boundary[1].value());
            exact.add(pair);
            for (int l = 0; l < depth; l++) {
                pair = walk.step(l, pair);
                exact.add(pair);
                if ((l + 1) % every == 0 && l + 1 < depth) {
                    stored.put(l + 1, pair);
                }
            }
            double maxState = 0;
            double maxError = 0;
            INDArray[] back = pair;
            for (int l = depth - 1; l >= 0; l--) {
                back = walk.unstep(l, back);
                if (stored.containsKey(l)) {
                    back = stored.get(l);
                }
                for (int s = 0; s < 2; s++) {
                    INDArray truth = walk.value(exact.get(l)[s]);
                    maxError = Math.max(maxError, walk.value(back[s]).sub(truth).amaxNumber().doubleValue());
                }
            }
            for (INDArray[] states : exact) {
                for (INDArray state : states) {
                    maxState = Math.max(maxState, walk.value(state).amaxNumber().doubleValue());
                }
            }
            return new DriftReport(maxError / maxState, maxState);
        }
    }
}
