package org.leantrain.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** When each op of a step ran: start and end nanos (System.nanoTime) per op, per stage. */
public final class Trace {
    /** One executed op. */
    public record Event(Op op, long startNanos, long endNanos) {
        public long nanos() {
            return endNanos - startNanos;
        }
    }

    private final int stages;
    private final List<Event> events;

    Trace(int stages, List<List<Event>> perStage) {
        this.stages = stages;
        List<Event> all = new ArrayList<>();
        perStage.forEach(all::addAll);
        all.sort(Comparator.comparingLong(Event::startNanos));
        this.events = List.copyOf(all);
    }

    public List<Event> events() {
        return events;
    }

    public int stages() {
        return stages;
    }

    public long startNanos() {
        return events.stream().mapToLong(Event::startNanos).min().orElse(0);
    }

    /** From the first op's start to the last op's end. */
    public long makespanNanos() {
        return events.stream().mapToLong(Event::endNanos).max().orElse(0) - startNanos();
    }

    public long busyNanos(int stage) {
        return events.stream().filter(e -> e.op().stage() == stage).mapToLong(Event::nanos).sum();
    }

    /** Fraction of the makespan stage {@code stage} spent running ops. */
    public double busyFraction(int stage) {
        return (double) busyNanos(stage) / Math.max(1, makespanNanos());
    }

    /** Idle fraction of the total device time K·makespan; (K−1)/(M+K−1) for equal cells without recompute. */
    public double bubbleFraction() {
        long busy = 0;
        for (int s = 0; s < stages; s++) {
            busy += busyNanos(s);
        }
        return 1.0 - (double) busy / Math.max(1, (double) stages * makespanNanos());
    }

    /** One row per op: stage, kind, micro-batch, start and end in ms from the first op's start. */
    public String toCsv() {
        StringBuilder csv = new StringBuilder("stage,op,micro_batch,start_ms,end_ms\n");
        long t0 = startNanos();
        for (Event e : events) {
            csv.append(e.op().stage()).append(',').append(e.op().kind()).append(',').append(e.op().microBatch())
                    .append(',').append((e.startNanos() - t0) / 1e6).append(',').append((e.endNanos() - t0) / 1e6)
                    .append('\n');
        }
        return csv.toString();
    }
}
