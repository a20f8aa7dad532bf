package org.leantrain.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Discrete-event simulation of op lists with per-stage costs and zero transfer time (spec §6.4): each stage runs
 * its ops in list order; an op starts when its stage is free and its dependencies have ended. F(s,m) needs
 * F(s−1,m); R(s,m) needs F(s,m); B(s,m) needs F(s,m), R(s,m) if scheduled, and B(s+1,m).
 */
public final class ScheduleSimulator {
    private ScheduleSimulator() {}

    /**
     * @param makespan     end of the last op
     * @param peakInFlight per stage, the most micro-batches whose F had run and whose B had not
     */
    public record Result(double makespan, int[] peakInFlight) {}

    public static Result simulate(List<List<Op>> ops, double[] forward, double[] backward, double[] recompute) {
        int stages = ops.size();
        if (forward.length != stages || backward.length != stages || recompute.length != stages) {
            throw new IllegalArgumentException("need one forward, backward and recompute cost per stage (" + stages
                    + ")");
        }
        Map<Op, Double> end = new HashMap<>();
        int[] next = new int[stages];
        double[] free = new double[stages];
        int[] inFlight = new int[stages];
        int[] peak = new int[stages];
        int remaining = ops.stream().mapToInt(List::size).sum();
        while (remaining > 0) {
            boolean progressed = false;
            for (int s = 0; s < stages; s++) {
                while (next[s] < ops.get(s).size()) {
                    Op op = ops.get(s).get(next[s]);
                    Double ready = dependenciesEnd(op, stages, ops.get(s), end);
                    if (ready == null) {
                        break;
                    }
                    double start = Math.max(free[s], ready);
                    double cost = switch (op.kind()) {
                        case FORWARD -> forward[s];
                        case RECOMPUTE -> recompute[s];
                        case BACKWARD -> backward[s];
                    };
                    free[s] = start + cost;
                    end.put(op, free[s]);
                    if (op.kind() == Op.Kind.FORWARD) {
                        peak[s] = Math.max(peak[s], ++inFlight[s]);
                    } else if (op.kind() == Op.Kind.BACKWARD) {
                        inFlight[s]--;
                    }
                    next[s]++;
                    remaining--;
                    progressed = true;
                }
            }
            if (!progressed) {
                throw new IllegalArgumentException("the op lists deadlock: no stage can run its next op");
            }
        }
        double makespan = 0;
        for (double f : free) {
            makespan = Math.max(makespan, f);
        }
        return new Result(makespan, peak);
    }

    /** The time all dependencies of {@code op} have ended, or null if one has not run yet. */
    private static Double dependenciesEnd(Op op, int stages, List<Op> ownOps, Map<Op, Double> end) {
        int s = op.stage();
        int m = op.microBatch();
        double ready = 0;
        Op[] deps = switch (op.kind()) {
            case FORWARD -> s > 0 ? new Op[] {Op.forward(s - 1, m)} : new Op[0];
            case RECOMPUTE -> new Op[] {Op.forward(s, m)};
            case BACKWARD -> {
                Op recompute = ownOps.contains(Op.recompute(s, m)) ? Op.recompute(s, m) : null;
                Op after = s < stages - 1 ? Op.backward(s + 1, m) : null;
                yield java.util.stream.Stream.of(Op.forward(s, m), recompute, after)
                        .filter(java.util.Objects::nonNull).toArray(Op[]::new);
            }
        };
        for (Op d : deps) {
            Double t = end.get(d);
            if (t == null) {
                return null;
            }
            ready = Math.max(ready, t);
        }
        return ready;
    }
}
