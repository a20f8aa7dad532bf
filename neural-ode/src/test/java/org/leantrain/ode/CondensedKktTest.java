package org.leantrain.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;

/**
 * Spec §6 test 6: the condensed step equals the dense KKT solve [[JᵀJ + μI, J_cᵀ], [J_c, 0]] on a small random
 * instance (n = 5, m = 2, nx = 2, np = 7), and the assembled Jacobian blocks equal finite differences of c and r.
 */
class CondensedKktTest {
    private static CollocationProblem problem() {
        // Van der Pol with a 2-1-1 network: 5 weights + a free x_0 = 7 parameters.
        PeNodeModel model = VanDerPol.model(1);
        TrainingData data = VanDerPol.data(1, 0.05, 3);
        return new CollocationProblem(model, data, Mesh.uniform(0, 1, 5), 2, 1e-2, true, null, List.of());
    }

    private static double[] randomPoint(CollocationProblem p, long seed) {
        Rng rng = new Rng(seed);
        double[] z = new double[p.variableCount()];
        for (int i = 0; i < z.length; i++) {
            z[i] = 0.5 * rng.nextGaussian();
        }
        return z;
    }

    @Test
    void jacobianBlocksMatchFiniteDifferences() {
        CollocationProblem p = problem();
        double[] z = randomPoint(p, 1);
        CollocationProblem.Linearization lin = p.linearize(z);
        double[][] jc = DenseKkt.constraintJacobian(p, lin);
        double[][] jr = DenseKkt.residualJacobian(p, lin);
        double h = 1e-6;
        for (int v = 0; v < z.length; v++) {
            double[] zp = z.clone();
            double[] zm = z.clone();
            zp[v] += h;
            zm[v] -= h;
            CollocationProblem.Evaluation ep = p.evaluate(zp);
            CollocationProblem.Evaluation em = p.evaluate(zm);
            for (int i = 0; i < jc.length; i++) {
                assertEquals((ep.c[i] - em.c[i]) / (2 * h), jc[i][v], 1e-7, "∂c_" + i + "/∂z_" + v);
            }
            for (int i = 0; i < jr.length; i++) {
                assertEquals((ep.r[i] - em.r[i]) / (2 * h), jr[i][v], 1e-7, "∂r_" + i + "/∂z_" + v);
            }
        }
    }

    @Test
    void condensedStepEqualsDenseKktSolve() {
        CollocationProblem p = problem();
        assertEquals(7, p.parameterCount());
        double[] z = randomPoint(p, 2);
        CollocationProblem.Linearization lin = p.linearize(z);
        for (double mu : new double[] {1e-4, 0.3}) {
            CondensedKkt.Step step = new CondensedKkt(p, lin).solve(mu);
            double[] dense = DenseKkt.solve(p, lin, mu);
            double worst = 0;
            for (int i = 0; i < p.nX; i++) {
                worst = Math.max(worst, Math.abs(step.dx()[i] - dense[i]));
            }
            for (int i = 0; i < p.np; i++) {
                worst = Math.max(worst, Math.abs(step.dp()[i] - dense[p.nX + i]));
            }
            assertTrue(worst < 1e-9, "μ=" + mu + ": max difference " + worst);
        }
    }

    @Test
    void penaltyGradientIsTheDerivativeOfThePenalisedObjective() {
        CollocationProblem p = problem();
        double[] z = randomPoint(p, 3);
        double rho = 7;
        double[] g = CollocationPenaltyAdamTrainer.gradient(p, p.linearize(z), z, rho);
        for (int v = 0; v < z.length; v += 3) {
            double[] zp = z.clone();
            double[] zm = z.clone();
            zp[v] += 1e-6;
            zm[v] -= 1e-6;
            double fd = (penalised(p, zp, rho) - penalised(p, zm, rho)) / 2e-6;
            assertEquals(fd, g[v], 1e-6 * Math.max(1, Math.abs(fd)), "z_" + v);
        }
    }

    private static double penalised(CollocationProblem p, double[] z, double rho) {
        CollocationProblem.Evaluation e = p.evaluate(z);
        double cc = 0;
        for (double c : e.c) {
            cc += c * c;
        }
        return e.f + 0.5 * rho * cc;
    }
}
