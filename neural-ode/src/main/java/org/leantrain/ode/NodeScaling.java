package org.leantrain.ode;

import java.util.Arrays;
import java.util.List;
import org.leantrain.core.util.Rng;

/**
 * Per-iteration cost of the GN-SQP on E1's problem as the node count N or the parameter count np grows (spec §8):
 * one iteration = linearise (node Jacobians), forward sweep, normal matrix, step solve, one merit evaluation.
 */
public final class NodeScaling {
    private NodeScaling() {}

    /** Median seconds per iteration (after one warm-up) for a VdP problem with n intervals, m = 3 and the given MLP. */
    public static double secondsPerIteration(int intervals, int hidden, int reps) {
        TrainingData data = VanDerPol.data(10, 0.05, 0);
        PeNodeModel model = VanDerPol.model(hidden, hidden);
        CollocationProblem p = new CollocationProblem(model, data, Mesh.uniform(0, 10, intervals), 3, 1e-4, true,
                null, List.of());
        double[] z = CollocationTrainer.initialGuess(p, data, null, model.net().initialWeights(new Rng(0)));
        double[] times = new double[reps];
        System.gc(); // start each size from a clean heap: a collection inside the timed loop would dominate a median
        for (int r = -1; r < reps; r++) {
            long t0 = System.nanoTime();
            CollocationProblem.Linearization lin = p.linearize(z);
            CondensedKkt.Step step = new CondensedKkt(p, lin).solve(1e-3);
            p.evaluate(step.apply(z, 1, p.nX));
            if (r >= 0) {
                times[r] = (System.nanoTime() - t0) / 1e9;
            }
        }
        Arrays.sort(times);
        return times[reps / 2];
    }

    /** Geometric mean of t(2N)/t(N) over consecutive entries. */
    public static double growthPerDoubling(double[] seconds) {
        double log = 0;
        for (int i = 1; i < seconds.length; i++) {
            log += Math.log(seconds[i] / seconds[i - 1]);
        }
        return Math.exp(log / (seconds.length - 1));
    }

    /** Parameters of a 2-w-w-1 network plus the free x_0. */
    public static int parameterCount(int hidden) {
        return new TanhMlp(2, hidden, hidden, 1).paramCount() + 2;
    }
}
