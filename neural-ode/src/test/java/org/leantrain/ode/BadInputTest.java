package org.leantrain.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.Tensor;

/** Spec §9: bad inputs fail early with a message that names the problem; numerical trouble is reported, not hidden. */
class BadInputTest {
    private static final double[] TIMES = {0, 0.5, 1};
    private static final double[][] OBS = {{1}, {0.6}, {0.37}};

    private static TrainingData data(double[] times, double[][] obs) {
        return new TrainingData(times, obs, new int[] {0}, new double[] {1}, null);
    }

    private static String message(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable e) {
        return assertThrows(type, e).getMessage();
    }

    @Test
    void meshAndDataTimesMustIncrease() {
        assertTrue(message(IllegalArgumentException.class, () -> new Mesh(new double[] {0, 1, 1, 2}))
                .contains("increase strictly"));
        assertTrue(message(IllegalArgumentException.class, () -> data(new double[] {0, 1, 0.5}, OBS))
                .contains("increase strictly"));
        assertThrows(IllegalArgumentException.class, () -> new Mesh(new double[] {0, Double.NaN}));
    }

    @Test
    void nonFiniteDataInputsAndInitialStatesAreRejected() {
        assertTrue(message(IllegalArgumentException.class, () -> data(TIMES, new double[][] {{1}, {Double.NaN},
            {0.3}})).contains("observation 1"));
        PeNodeModel model = TestModels.decayModel(1, false);
        assertTrue(message(IllegalArgumentException.class, () -> new CollocationProblem(model, null,
                Mesh.uniform(0, 1, 2), 2, 0, false, new double[] {Double.POSITIVE_INFINITY}, List.of()))
                .contains("initial state"));
        PeNodeModel withInput = PeNodeModel.of(QuarterVehicle.physics(), new TanhMlp(1, 4, 1),
                new Scaling(QuarterVehicle.STATE_SCALE));
        TrainingData badInput = new TrainingData(TIMES, new double[][] {{0}, {0}, {0}}, new int[] {0},
                new double[] {1}, t -> new double[] {t > 0.4 ? Double.NaN : 0});
        PeNodeModel qvm = new PeNodeModel(QuarterVehicle.physics(), new TanhMlp(1, 4, 1), QuarterVehicle.PHI,
                new boolean[4], new Scaling(QuarterVehicle.STATE_SCALE));
        assertTrue(message(IllegalArgumentException.class, () -> new CollocationProblem(qvm, badInput,
                Mesh.uniform(0, 1, 2), 2, 0, true, null, List.of())).contains("input"));
        assertTrue(withInput.phiInit().length == 4);
    }

    @Test
    void emptyDataNegativeLambdaAndBadIndicesAreRejected() {
        assertTrue(message(IllegalArgumentException.class, () -> data(new double[0], new double[0][]))
                .contains("empty"));
        PeNodeModel model = TestModels.decayModel(1, true);
        assertTrue(message(IllegalArgumentException.class, () -> new CollocationProblem(model, data(TIMES, OBS),
                Mesh.uniform(0, 1, 2), 2, -1, true, null, List.of())).contains("λ"));
        TrainingData wrongState = new TrainingData(TIMES, OBS, new int[] {3}, new double[] {1}, null);
        assertTrue(message(IllegalArgumentException.class, () -> new CollocationProblem(model, wrongState,
                Mesh.uniform(0, 1, 2), 2, 0, true, null, List.of())).contains("out of range"));
        assertTrue(message(IllegalArgumentException.class, () -> new CollocationProblem(model, data(TIMES, OBS),
                Mesh.uniform(0, 0.8, 2), 2, 0, true, null, List.of())).contains("outside the mesh"));
        assertTrue(message(IllegalArgumentException.class, () -> PeNodeModel.of(VanDerPol.physics(),
                new TanhMlp(2, 8, 3), Scaling.unit(2))).contains("nnOutDim"));
        assertTrue(message(IllegalArgumentException.class, () -> PeNodeModel.of(VanDerPol.physics(),
                new TanhMlp(2, 8, 1), Scaling.unit(3))).contains("scaling"));
        assertThrows(IllegalArgumentException.class, () -> CollocationTrainer.Config.defaults().withMesh(0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> CollocationTrainer.Config.defaults().withMesh(21, 0.1));
    }

    @Test
    void nonFiniteRhsStopsTheSolveWithTheNode() {
        PhysicsRhs blowsUp = TestModels.scalar(Tensor::sqrt, Math::sqrt);
        PeNodeModel model = PeNodeModel.of(blowsUp, null, Scaling.unit(1));
        CollocationProblem p = new CollocationProblem(model, data(TIMES, OBS), Mesh.uniform(0, 1, 4), 2, 0, true,
                null, List.of());
        double[][] states = new double[p.nodeCount()][1];
        for (double[] s : states) {
            s[0] = 1;
        }
        states[3][0] = -1;
        SolveResult r = new GaussNewtonSqpSolver().solve(p, p.pack(states, new double[] {1}, new double[0],
                new double[0]), SolverOptions.defaults());
        assertEquals(SolveResult.Status.NUMERICAL_ERROR, r.status());
        assertTrue(r.message().contains("node 3"), r.message());
    }

    @Test
    void singularBlockSuggestsRefinement() {
        // ẋ = k·x with h·k = 1 on a one-stage (implicit Euler) mesh: E = 1 − h·k = 0.
        PeNodeModel model = TestModels.decayModel(-1, false);
        CollocationProblem p = new CollocationProblem(model, null, Mesh.uniform(0, 1, 1), 1, 0, false,
                new double[] {1}, List.of());
        String msg = message(IllegalStateException.class, () -> new GaussNewtonSqpSolver().solve(p, new double[1],
                SolverOptions.defaults()));
        assertTrue(msg.contains("singular") && msg.contains("refine"), msg);
    }

    @Test
    void disagreeingPhysicsFormsAreCaught() {
        PhysicsRhs inconsistent = TestModels.scalar(Tensor::neg, x -> -2 * x);
        PeNodeModel model = PeNodeModel.of(inconsistent, null, Scaling.unit(1));
        String msg = message(IllegalArgumentException.class, () -> CollocationTrainer.train(model, data(TIMES, OBS),
                CollocationTrainer.Config.defaults(), new GaussNewtonSqpSolver()));
        assertTrue(msg.contains("disagree"), msg);
    }
}
