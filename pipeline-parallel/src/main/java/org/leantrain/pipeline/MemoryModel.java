package org.leantrain.pipeline;

import java.util.List;
import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.Tensor;

/**
 * Predicted peak bytes per stage (spec §2, "Memory per stage"), in the units {@link StepResult#peakSavedBytes()}
 * measures: tape bytes plus boundary inputs kept for recompute. α is what a stage's graph keeps per sample (its
 * input included, since the first layer saves it), β the bytes of its input per sample.
 */
public final class MemoryModel {
    private MemoryModel() {}

    /** α and β of one stage, in bytes per sample. */
    public record Footprint(double alpha, double beta) {}

    /**
     * Measures a stage's footprint on a few sample rows: α from the tape after a forward (and the loss, on the last
     * stage: pass {@code loss} and {@code target}, else nulls), β from the input.
     */
    public static Footprint measure(List<Module> stageLayers, Tensor sample, LossFn loss, Tensor target) {
        long rows = sample.size(0);
        long before = Memory.savedBytes();
        Tensor out = Tensor.of(sample.value()).requireGrad(true);
        for (Module m : stageLayers) {
            out = m.forward(out);
        }
        if (loss != null) {
            out = loss.loss(out, target);
        }
        double alpha = (double) (Memory.savedBytes() - before) / rows;
        out.releaseGraph();
        double beta = (double) sample.value().length() * sample.dataType().width() / rows;
        return new Footprint(alpha, beta);
    }

    /**
     * Peak of stage {@code stage} of {@code stages}:
     * GPipe NEVER N·α; recompute modes N·β + n_max·α (stored inputs plus one re-materialized graph);
     * 1F1B keeps f = min(M, K−s) micro-batches in flight: f·n_max·α without recompute, f·n_max·β + n_max·α with it.
     */
    public static double predictedPeak(CheckpointMode checkpoint, Schedule schedule, int stage, int stages, int batch,
                                       int micro, Footprint footprint) {
        int nMax = MicroBatcher.sizes(batch, micro)[0];
        double alpha = footprint.alpha();
        double beta = footprint.beta();
        double held = schedule == Schedule.GPIPE ? batch : (double) Math.min(micro, stages - stage) * nMax;
        if (checkpoint == CheckpointMode.NEVER) {
            return held * alpha;
        }
        return held * beta + nMax * alpha;
    }
}
