package org.leantrain.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Spec §6.2–6.5: the GPipe clock, the 1F1B order, the simulator's exact makespans and the bubble formula. */
class ScheduleTest {
    @Test
    void gpipeClockMatchesTheSpecVector() {
        List<List<int[]>> clock = Schedule.gpipeForwardClock(3, 4);
        String expected = "[(0,0)] [(1,0),(0,1)] [(2,0),(1,1),(0,2)] [(3,0),(2,1),(1,2)] [(3,1),(2,2)] [(3,2)]";
        String actual = clock.stream()
                .map(cells -> cells.stream().map(c -> "(" + c[0] + "," + c[1] + ")")
                        .collect(Collectors.joining(",", "[", "]")))
                .collect(Collectors.joining(" "));
        assertEquals(expected, actual);
        assertEquals(4 + 3 - 1, clock.size());
        Set<String> seen = new HashSet<>();
        clock.forEach(cells -> cells.forEach(c -> assertEquals(true, seen.add(c[0] + "," + c[1]))));
        assertEquals(12, seen.size());
    }

    @Test
    void gpipeStageRunsAllForwardsThenBackwardsLastMicroBatchFirst() {
        List<List<Op>> ops = Schedule.GPIPE.perStage(2, 3, CheckpointMode.EXCEPT_LAST);
        assertEquals("[F0, F1, F2, B2, R1, B1, R0, B0]", ops.get(0).toString());
        assertEquals("[F0, F1, F2, R2, B2, R1, B1, R0, B0]",
                Schedule.GPIPE.perStage(2, 3, CheckpointMode.ALWAYS).get(1).toString());
    }

    @Test
    void oneFOneBOrderMatchesTheSpec() {
        List<List<Op>> ops = Schedule.ONE_F_ONE_B.perStage(4, 8, CheckpointMode.NEVER);
        assertEquals("F0 F1 F2 F3 B0 F4 B1 F5 B2 F6 B3 F7 B4 B5 B6 B7", join(ops.get(0)));
        assertEquals("F0 B0 F1 B1 F2 B2 F3 B3 F4 B4 F5 B5 F6 B6 F7 B7", join(ops.get(3)));
        for (List<Op> stage : ops) {
            assertEquals(8, stage.stream().filter(o -> o.kind() == Op.Kind.FORWARD).count());
            assertEquals(8, stage.stream().filter(o -> o.kind() == Op.Kind.BACKWARD).count());
            // a micro-batch's backward never precedes its own forward
            List<String> done = new ArrayList<>();
            for (Op o : stage) {
                if (o.kind() == Op.Kind.BACKWARD) {
                    assertEquals(true, done.contains("F" + o.microBatch()), o + " before its forward");
                }
                done.add(o.toString());
            }
        }
    }

    private static String join(List<Op> ops) {
        return ops.stream().map(Op::toString).collect(Collectors.joining(" "));
    }

    @Test
    void simulatorGivesTheSpecMakespans() {
        assertSim(Schedule.GPIPE, CheckpointMode.NEVER, 4, 8, 1, 2, 0, 33, new int[] {8, 8, 8, 8});
        assertSim(Schedule.ONE_F_ONE_B, CheckpointMode.NEVER, 4, 8, 1, 2, 0, 33, new int[] {4, 3, 2, 1});
        assertSim(Schedule.GPIPE, CheckpointMode.NEVER, 2, 4, 1, 2, 0, 15, null);
        assertSim(Schedule.GPIPE, CheckpointMode.NEVER, 8, 32, 1, 2, 0, 117, null);
        assertSim(Schedule.GPIPE, CheckpointMode.NEVER, 4, 1, 1, 2, 0, 12, null);
        for (Schedule s : Schedule.values()) {
            assertSim(s, CheckpointMode.ALWAYS, 2, 4, 1, 2, 1, 19, null);
            assertSim(s, CheckpointMode.ALWAYS, 4, 8, 1, 2, 1, 41, null);
        }
        assertSim(Schedule.GPIPE, CheckpointMode.EXCEPT_LAST, 2, 4, 1, 2, 1, 18, null);
        assertSim(Schedule.GPIPE, CheckpointMode.EXCEPT_LAST, 4, 8, 1, 2, 1, 40, null);
    }

    @Test
    void simulatorWithUnequalStages() {
        for (Schedule s : Schedule.values()) {
            assertEquals(27, sim(s, 4, new double[] {1, 2}, new double[] {2, 4}), 0, s.name());
            assertEquals(51, sim(s, 8, new double[] {1, 2}, new double[] {2, 4}), 0, s.name());
        }
    }

    private static double sim(Schedule s, int m, double[] f, double[] b) {
        return ScheduleSimulator.simulate(s.perStage(2, m, CheckpointMode.NEVER), f, b, new double[2]).makespan();
    }

    private static void assertSim(Schedule schedule, CheckpointMode mode, int k, int m, double tf, double tb, double tr,
                                  double makespan, int[] peaks) {
        ScheduleSimulator.Result r = ScheduleSimulator.simulate(schedule.perStage(k, m, mode), fill(k, tf),
                fill(k, tb), fill(k, tr));
        assertEquals(makespan, r.makespan(), 0, schedule + " " + mode + " K=" + k + " M=" + m);
        if (peaks != null) {
            assertArrayEquals(peaks, r.peakInFlight());
        }
    }

    private static double[] fill(int k, double v) {
        double[] a = new double[k];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void bubbleAndSpeedupFormulas() {
        assertEquals(3.0 / 11, Schedule.bubbleFraction(4, 8), 1e-12);
        assertEquals(16.0 / 9, Schedule.idealSpeedup(2, 8), 1e-12);
        assertEquals(1.6, Schedule.idealSpeedup(2, 4), 1e-12);
        assertEquals(1.939, Schedule.idealSpeedup(2, 32), 5e-4);
    }
}
