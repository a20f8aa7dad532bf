package org.leantrain.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Spec §6 test 7 with Ipopt (skipped when libipopt.so.1 is absent), and the one-JNA smoke test of §9. */
class IpoptJnaSolverTest {
    @Test
    void nd4jRunsWithThePinnedJna() {
        assertTrue(Native.VERSION.startsWith("5."), "JNA " + Native.VERSION);
        assertEquals(6.0, Nd4j.create(new double[] {1, 2, 3}).sumNumber().doubleValue(), 0);
    }

    @Test
    void recoversTheDecayRate() {
        assumeTrue(IpoptJnaSolver.isAvailable(), IpoptJnaSolver::unavailableReason);
        CollocationProblem p = TestModels.decayRecoveryProblem();
        double[] z0 = TestModels.decayRecoveryStart(p);
        SolveResult r = new IpoptJnaSolver().solve(p, z0, SolverOptions.defaults().withTolerances(1e-10, 1e-6));
        assertEquals(SolveResult.Status.CONVERGED, r.status(), r.message());
        assertEquals(0.7, p.phi(r.z())[0], 1e-6);
        assertTrue(r.cInf() <= 1e-9, "‖c‖∞ " + r.cInf());
    }

    @Test
    void keepsAPathConstraintHard() {
        assumeTrue(IpoptJnaSolver.isAvailable(), IpoptJnaSolver::unavailableReason);
        TrainingData data = VanDerPol.data(2, 0.02, 0);
        PeNodeModel model = VanDerPol.model(4);
        // The true damping term reaches ≈ 1 on [0, 2]; cap the network at 0.3 so the bound is active.
        PathConstraint cap = new PathConstraint("N ≤ 0.3", (x, y) -> y, (x, y) -> y[0], Double.NEGATIVE_INFINITY, 0.3);
        CollocationTrainer.Config cfg = CollocationTrainer.Config.defaults().withMesh(2, 0.1)
                .withConstraints(List.of(cap)).withSolver(SolverOptions.defaults().withMaxIter(500));
        CollocationTrainer.Result r = CollocationTrainer.train(model, data, cfg, new IpoptJnaSolver());
        assertEquals(SolveResult.Status.CONVERGED, r.solve().status(), r.solve().message());
        double violation = r.problem().worstPathViolation(r.z());
        assertTrue(violation <= 1e-6 && violation > -0.05, "violation " + violation + " (the bound must be active)");
        assertTrue(r.solve().cInf() <= 1e-6, "‖c‖∞ " + r.solve().cInf());
    }
}
