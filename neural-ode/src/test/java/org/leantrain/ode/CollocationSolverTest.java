package org.leantrain.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec §6 tests 3 and 7: Radau steps by Newton on the collocation equations, and parameter recovery. */
class CollocationSolverTest {
    private static double radauEnd(int m, int n) {
        PeNodeModel model = TestModels.decayModel(1, false);
        CollocationProblem p = new CollocationProblem(model, null, Mesh.uniform(0, 1, n), m, 0, false,
                new double[] {1}, List.of());
        double[][] states = new double[p.nodeCount()][1];
        double[] z0 = p.pack(states, null, new double[0], model.phiInit());
        SolveResult r = new GaussNewtonSqpSolver().solve(p, z0, SolverOptions.defaults());
        assertEquals(SolveResult.Status.CONVERGED, r.status(), r.message());
        return p.stateAt(r.z(), 1)[0];
    }

    @Test
    void collocationEqualsRadauStabilityFunction() {
        double[][] expected = {
            {1, 1, 0.5}, {1, 10, 0.38554328942953175}, {2, 1, 4.0 / 11}, {2, 10, 0.36787446239759812},
            {3, 1, 39.0 / 106}, {3, 10, 0.36787944167392994}, {4, 1, 536.0 / 1457}, {4, 10, 0.36787944117141657}};
        for (double[] row : expected) {
            assertEquals(row[2], radauEnd((int) row[0], (int) row[1]), 1e-13, "m=" + row[0] + " n=" + row[1]);
        }
    }

    @Test
    void convergenceOrderIsTwoMMinusOne() {
        for (int m = 2; m <= 3; m++) {
            double e10 = Math.abs(radauEnd(m, 10) - Math.exp(-1));
            double e20 = Math.abs(radauEnd(m, 20) - Math.exp(-1));
            double ratio = e10 / e20;
            double order = Math.pow(2, 2 * m - 1);
            assertEquals(order, ratio, 0.1 * order, "m=" + m);
        }
    }

    @Test
    void recoversTheDecayRateFromExactData() {
        CollocationProblem p = TestModels.decayRecoveryProblem();
        double[] z0 = TestModels.decayRecoveryStart(p);
        SolveResult r = new GaussNewtonSqpSolver().solve(p, z0, SolverOptions.defaults().withTolerances(1e-10, 1e-6));
        assertEquals(0.7, p.phi(r.z())[0], 1e-6);
        assertTrue(r.iterations() <= 15, "iterations " + r.iterations());
        assertTrue(r.cInf() <= 1e-10, "‖c‖∞ " + r.cInf());
    }

    @Test
    void learnsTheVanDerPolDampingTermFromNoisyData() {
        TrainingData data = VanDerPol.data(5, 0.02, 3);
        PeNodeModel model = VanDerPol.model(8, 8);
        CollocationTrainer.Result r = CollocationTrainer.train(model, data, CollocationTrainer.Config.defaults()
                .withSolver(SolverOptions.defaults().withMaxIter(60)).withRefinement(1, 1e-6),
                new GaussNewtonSqpSolver());
        assertTrue(r.solve().cInf() <= 1e-5, "‖c‖∞ " + r.solve().cInf() + " " + r.solve().status() + " "
                + r.solve().message() + " after " + r.iterations() + " iterations, " + r.refineRounds() + " refinements");
        double[][] clean = VanDerPol.simulate(VanDerPol.X0, 0, data.times());
        double[][] learned = OdeIntegrators.dopri5(OdeIntegrators.of(model, r.theta(), new double[0], null), 0,
                r.x0(), data.times(), 1e-8, 1e-10);
        double[][] physicsOnly = OdeIntegrators.dopri5(OdeIntegrators.of(model, new double[model.thetaDim()],
                new double[0], null), 0, VanDerPol.X0, data.times(), 1e-8, 1e-10);
        double mse = NodeExperiments.mse(learned, clean);
        assertTrue(mse < 4e-4, "re-simulated MSE vs the clean truth " + mse + " (noise variance 4e-4)");
        assertTrue(mse < 0.01 * NodeExperiments.mse(physicsOnly, clean), "the network must explain the damping");
        // the learned term approximates μ(1 − x1²)x2 where the data are
        double[] y = new double[1];
        model.net().forwardRow(r.theta(), new double[] {1.0, 1.0}, model.net().newActivations(), y);
        assertEquals(VanDerPol.trueTerm(1.0, 1.0), y[0], 0.15);
    }
}
