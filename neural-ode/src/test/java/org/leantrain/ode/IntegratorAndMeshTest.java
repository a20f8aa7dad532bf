package org.leantrain.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec §6 tests 8 and 10: the forward integrators, and mesh refinement on a stiff-ish Van der Pol simulation. */
class IntegratorAndMeshTest {
    private static final OdeIntegrators.Rhs DECAY = (t, x, out) -> out[0] = -x[0];
    private static final OdeIntegrators.Rhs OSCILLATOR = (t, x, out) -> {
        out[0] = x[1];
        out[1] = -x[0];
    };

    @Test
    void rk4MatchesItsStabilityPolynomial() {
        double y = OdeIntegrators.rk4(DECAY, 0, new double[] {1}, new double[] {1}, 0.1)[0][0];
        assertEquals(0.3678797744124984, y, 1e-15);
        assertEquals(Math.pow(72387.0 / 80000, 10), y, 1e-15);
    }

    @Test
    void dopri5ReachesItsTolerance() {
        double y = OdeIntegrators.dopri5(DECAY, 0, new double[] {1}, new double[] {1}, 1e-10, 1e-10)[0][0];
        assertEquals(Math.exp(-1), y, 1e-9);
        double[] back = OdeIntegrators.dopri5(OSCILLATOR, 0, new double[] {1, 0}, new double[] {2 * Math.PI}, 1e-12,
                1e-12)[0];
        assertEquals(1, back[0], 1e-8);
        assertEquals(0, back[1], 1e-8);
    }

    @Test
    void meshRefinementMeetsItsToleranceWithFewerIntervalsThanUniform() {
        PeNodeModel model = new PeNodeModel(TestModels.vanDerPolPhysics(), null, new double[] {5}, new boolean[1],
                Scaling.unit(2));
        double[] x0 = {2, 0};
        double tol = 1e-6;
        Mesh mesh = Mesh.uniform(0, 12, 24);
        CollocationProblem p = null;
        double[] z = null;
        double[] err = null;
        for (int round = 0; round < 12; round++) {
            CollocationProblem next = new CollocationProblem(model, null, mesh, 3, 0, false, x0, List.of());
            if (p == null) {
                z = RadauSimulation.simulate(next, x0, new double[0], model.phiInit());
            } else {
                z = MeshRefiner.transfer(p, z, next);
            }
            p = next;
            SolveResult r = new GaussNewtonSqpSolver().solve(p, z, SolverOptions.defaults().withTolerances(1e-10, 0));
            assertEquals(SolveResult.Status.CONVERGED, r.status(), r.message());
            z = r.z();
            err = MeshRefiner.estimate(p, z);
            if (java.util.Arrays.stream(err).max().orElse(0) <= tol) {
                break;
            }
            mesh = MeshRefiner.refine(mesh, err, tol);
        }
        for (double e : err) {
            assertTrue(e <= tol, "interval estimate " + e);
        }
        double[] ref = OdeIntegrators.dopri5(OdeIntegrators.of(model, new double[0], model.phiInit(), null), 0, x0,
                new double[] {12}, 1e-12, 1e-12)[0];
        double[] end = p.stateAt(z, 12);
        assertEquals(ref[0], end[0], 1e-4);
        assertEquals(ref[1], end[1], 1e-4);
        int uniform = (int) Math.ceil(12 / p.mesh.smallestStep());
        assertTrue(p.mesh.intervals() < uniform, p.mesh.intervals() + " intervals vs uniform " + uniform);
    }
}
