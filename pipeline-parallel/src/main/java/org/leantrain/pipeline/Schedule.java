package org.leantrain.pipeline;

import java.util.ArrayList;
import java.util.List;

/** The order in which each stage runs its forward, recompute and backward ops in one training step. */
public enum Schedule {
    /** GPipe fill-drain: all forwards, then all backwards with the last micro-batch first (spec §3). */
    GPIPE {
        @Override
        List<Op> stageOps(int s, int stages, int micro, CheckpointMode mode) {
            List<Op> ops = new ArrayList<>();
            for (int m = 0; m < micro; m++) {
                ops.add(Op.forward(s, m));
            }
            for (int m = micro - 1; m >= 0; m--) {
                addBackward(ops, s, m, micro, mode);
            }
            return ops;
        }
    },
    /** 1F1B (PipeDream-Flush): min(K−1−s, M) warm-up forwards, then alternate, then drain (spec §3). */
    ONE_F_ONE_B {
        @Override
        List<Op> stageOps(int s, int stages, int micro, CheckpointMode mode) {
            List<Op> ops = new ArrayList<>();
            int warmUp = Math.min(stages - 1 - s, micro);
            int nextForward = 0;
            int nextBackward = 0;
            while (nextForward < warmUp) {
                ops.add(Op.forward(s, nextForward++));
            }
            while (nextForward < micro) {
                ops.add(Op.forward(s, nextForward++));
                addBackward(ops, s, nextBackward++, micro, mode);
            }
            while (nextBackward < micro) {
                addBackward(ops, s, nextBackward++, micro, mode);
            }
            return ops;
        }
    };

    abstract List<Op> stageOps(int s, int stages, int micro, CheckpointMode mode);

    /** The op list of every stage for a training step. */
    public List<List<Op>> perStage(int stages, int micro, CheckpointMode mode) {
        if (stages < 1 || micro < 1) {
            throw new IllegalArgumentException("a schedule needs >= 1 stage and >= 1 micro-batch, got K=" + stages
                    + ", M=" + micro);
        }
        List<List<Op>> all = new ArrayList<>();
        for (int s = 0; s < stages; s++) {
            all.add(List.copyOf(stageOps(s, stages, micro, mode)));
        }
        return all;
    }

    /** [R(s,m) if checkpointed] B(s,m). */
    private static void addBackward(List<Op> ops, int s, int m, int micro, CheckpointMode mode) {
        if (mode.checkpoints(m, micro)) {
            ops.add(Op.recompute(s, m));
        }
        ops.add(Op.backward(s, m));
    }

    /** GPipe's forward clock (spec §2): clock k runs the cells (m, s) with m + s = k, as {m, s} pairs. */
    public static List<List<int[]>> gpipeForwardClock(int stages, int micro) {
        List<List<int[]>> clocks = new ArrayList<>();
        for (int k = 0; k < micro + stages - 1; k++) {
            List<int[]> cells = new ArrayList<>();
            for (int s = 0; s < stages; s++) {
                int m = k - s;
                if (m >= 0 && m < micro) {
                    cells.add(new int[] {m, s});
                }
            }
            cells.sort((a, b) -> Integer.compare(b[0], a[0]));
            clocks.add(cells);
        }
        return clocks;
    }

    /** Idle fraction of total device time with equal cells, (K−1)/(M+K−1) (spec §2). */
    public static double bubbleFraction(int stages, int micro) {
        return (stages - 1.0) / (micro + stages - 1.0);
    }

    /** Ideal speed-up over one device running all layers, M·K/(M+K−1) (spec §2). */
    public static double idealSpeedup(int stages, int micro) {
        return (double) micro * stages / (micro + stages - 1.0);
    }
}
