package org.leantrain.rag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.optim.Adam;
import org.leantrain.core.tensor.Autograd;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Spec §6: GRPO advantages, k3, clipping, the bandit gradient and convergence; the MoL KL values and gradient. */
class GrpoAndKlTest {
    @Test
    void advantagesMatchTheSpec() {
        double[] r = {1, 0, 0.5, 0.5};
        assertArrayEquals(new double[] {1.2244449448582857, -1.2244449448582857, 0, 0},
                GrpoObjective.advantages(r, GrpoObjective.Variant.GRPO), 1e-15);
        assertArrayEquals(new double[] {0.5, -0.5, 0, 0}, GrpoObjective.advantages(r, GrpoObjective.Variant.DR_GRPO),
                1e-15);
        assertArrayEquals(new double[] {0, 0, 0}, GrpoObjective.advantages(new double[] {0.3, 0.3, 0.3}, true), 0);
        assertThrows(IllegalArgumentException.class, () -> GrpoObjective.advantages(new double[] {1}, true));
        assertThrows(IllegalArgumentException.class,
                () -> GrpoObjective.advantages(new double[] {1, Double.NaN}, true));
    }

    @Test
    void k3ValueAndDerivative() {
        assertEquals(0.10653065971263342, GrpoObjective.k3(-1, -1.5), 1e-15);
        assertEquals(0, GrpoObjective.k3(-0.7, -0.7), 0);
        Tensor logp = Tensor.parameter(Nd4j.create(new double[][] {{-1}}));
        INDArray ref = Nd4j.create(new double[][] {{-1.5}});
        // J with A = 0 and β = 1 is −k3, so dJ/dlogπ = −dk3/dlogπ
        Tensor j = GrpoObjective.objective(logp, logp.value().dup(), ref, Nd4j.ones(DataType.DOUBLE, 1, 1),
                new double[] {0}, new double[] {1}, 1, 0.2);
        assertEquals(-0.10653065971263342, j.item(), 1e-15);
        assertEquals(-0.3934693402873666, Autograd.grad(j, logp)[0].getDouble(0, 0), 1e-15);
    }

    @Test
    void clippingValuesAndGradients() {
        double[][] cases = {{1.3, 1, 1.2, 0}, {0.7, 1, 0.7, 0.7}, {0.7, -1, -0.8, 0}};
        for (double[] c : cases) {
            Tensor logp = Tensor.parameter(Nd4j.create(new double[][] {{Math.log(c[0])}}));
            Tensor j = GrpoObjective.objective(logp, Nd4j.zeros(DataType.DOUBLE, 1, 1), Nd4j.zeros(DataType.DOUBLE, 1,
                    1), Nd4j.ones(DataType.DOUBLE, 1, 1), new double[] {c[1]}, new double[] {1}, 0, 0.2);
            assertEquals(c[2], j.item(), 1e-12, "ρ=" + c[0] + " A=" + c[1]);
            // dJ/dlogπ = ρ·A when unclipped (0.7 here), 0 when clipped
            assertEquals(c[3], Autograd.grad(j, logp)[0].getDouble(0, 0), 1e-12, "gradient, ρ=" + c[0]);
        }
    }

    /** Single-token completions, β = 0, μ = 1: ∂J/∂z = (1/G) Σ_i A_i (e_{a_i} − softmax(z)). */
    @Test
    void banditGradientIsExact() {
        double[] z0 = {0.3, -0.2, 0.8};
        int[] actions = {2, 0, 2, 1, 2, 0};
        double[] rewards = {1, 0, 1, 0.5, 0.8, 0.1};
        double[] adv = GrpoObjective.advantages(rewards, true);
        Tensor z = Tensor.parameter(Nd4j.create(new double[][] {z0}));
        Tensor j = banditObjective(z, actions, adv, 0, null);
        double[] softmax = softmax(z0);
        double[] expected = new double[3];
        for (int i = 0; i < actions.length; i++) {
            for (int a = 0; a < 3; a++) {
                expected[a] += adv[i] * ((a == actions[i] ? 1 : 0) - softmax[a]) / actions.length;
            }
        }
        assertArrayEquals(expected, Autograd.grad(j, z)[0].toDoubleVector(), 1e-12);
        // with π_θ = π_ref the KL term adds nothing, value or gradient
        Tensor z2 = Tensor.parameter(Nd4j.create(new double[][] {z0}));
        Tensor withKl = banditObjective(z2, actions, adv, 0.04, z0);
        assertEquals(banditObjective(Tensor.of(Nd4j.create(new double[][] {z0})), actions, adv, 0, null).item(),
                withKl.item(), 1e-15);
        assertArrayEquals(expected, Autograd.grad(withKl, z2)[0].toDoubleVector(), 1e-12);
    }

    /** 3-armed bandit (rewards 0, 0.5, 1), G = 8, β = 0.04 to the uniform reference, Adam lr 0.05: ≥ 0.95 in 200. */
    @Test
    void banditLearnsTheBestArm() {
        for (long seed = 0; seed < 3; seed++) {
            Rng rng = new Rng(seed);
            Tensor z = Tensor.parameter(Nd4j.zeros(DataType.DOUBLE, 1, 3));
            Adam adam = Adam.adam(List.of(z), 0.05);
            double[] arms = {0, 0.5, 1};
            for (int step = 0; step < 200; step++) {
                double[] p = softmax(z.value().toDoubleVector());
                int[] actions = new int[8];
                double[] rewards = new double[8];
                for (int i = 0; i < 8; i++) {
                    double u = rng.nextDouble();
                    actions[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
                    rewards[i] = arms[actions[i]];
                }
                double[] adv = GrpoObjective.advantages(rewards, true);
                adam.zeroGrad();
                Tensor loss = banditObjective(z, actions, adv, 0.04, new double[3]).neg();
                loss.backward();
                adam.step();
            }
            double best = softmax(z.value().toDoubleVector())[2];
            assertTrue(best >= 0.95, "seed " + seed + ": P(best arm) " + best);
        }
    }

    private static Tensor banditObjective(Tensor z, int[] actions, double[] adv, double beta, double[] refLogits) {
        int g = actions.length;
        Tensor logSoftmax = z.logSoftmax(1);
        Tensor logp = Tensor.concat(0, java.util.Arrays.stream(actions).mapToObj(a -> logSoftmax.slice(1, a, a + 1))
                .toArray(Tensor[]::new));
        INDArray old = logp.value().dup();
        INDArray ref = Nd4j.zeros(DataType.DOUBLE, g, 1);
        if (refLogits != null) {
            double[] lr = softmax(refLogits);
            for (int i = 0; i < g; i++) {
                ref.putScalar(i, 0, Math.log(lr[actions[i]]));
            }
        }
        double[] norm = new double[g];
        java.util.Arrays.fill(norm, 1);
        return GrpoObjective.objective(logp, old, ref, Nd4j.ones(DataType.DOUBLE, g, 1), adv, norm, beta, 0.2);
    }

    private static double[] softmax(double[] z) {
        double max = java.util.Arrays.stream(z).max().orElse(0);
        double s = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            s += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= s;
        }
        return p;
    }

    @Test
    void molKlValuesAndGradients() {
        Tensor z = Tensor.parameter(Nd4j.create(new double[][] {{0, 0}}));
        INDArray logq = KlToBase.logSoftmax(Nd4j.create(new double[][] {{0, Math.log(3)}}));
        Tensor kl = KlToBase.perToken(z, logq, KlToBase.Direction.POLICY_TO_BASE);
        assertEquals(0.14384103622589042, kl.item(), 1e-15);
        assertArrayEquals(new double[] {0.27465307216702745, -0.27465307216702745},
                Autograd.grad(kl.sum(), z)[0].toDoubleVector(), 1e-15);
        assertEquals(0.13081203594113697, KlToBase.perToken(Tensor.of(z.value()), logq,
                KlToBase.Direction.BASE_TO_POLICY).item(), 1e-15);
        Tensor same = Tensor.parameter(Nd4j.create(new double[][] {{0.4, -1.1, 2.0}}));
        Tensor zero = KlToBase.perToken(same, KlToBase.logSoftmax(same.value()), KlToBase.Direction.POLICY_TO_BASE);
        assertEquals(0, zero.item(), 1e-15);
        assertArrayEquals(new double[3], Autograd.grad(zero.sum(), same)[0].toDoubleVector(), 1e-15);
    }

    @Test
    void molKlPassesTheGradientCheck() {
        INDArray logq = KlToBase.logSoftmax(new Rng(2).normal(DataType.DOUBLE, 0, 1, 4, 5));
        for (KlToBase.Direction d : KlToBase.Direction.values()) {
            org.leantrain.core.tensor.GradCheck.of(1e-6, 1e-6, 1e-9).check(
                    in -> KlToBase.perToken(in[0], logq, d).mul(Tensor.of(Nd4j.create(new double[] {1, 2, 3, 4})))
                            .sum(), new Rng(3).normal(DataType.DOUBLE, 0, 1, 4, 5));
        }
    }

    @Test
    void samplerFiltersExactly() {
        double[] logits = {2, 1, 0, -1};
        double[] all = TokenSampler.probabilities(logits, new SamplingConfig(1, 0, 1, 4));
        double z = Math.exp(2) + Math.exp(1) + 1 + Math.exp(-1);
        assertArrayEquals(new double[] {Math.exp(2) / z, Math.exp(1) / z, 1 / z, Math.exp(-1) / z}, all, 1e-15);
        double[] topK = TokenSampler.probabilities(logits, new SamplingConfig(1, 2, 1, 4));
        double z2 = Math.exp(2) + Math.exp(1);
        assertArrayEquals(new double[] {Math.exp(2) / z2, Math.exp(1) / z2, 0, 0}, topK, 1e-15);
        // top-p 0.7: p(0) = 0.644 < 0.7, so the first two are kept
        assertArrayEquals(topK, TokenSampler.probabilities(logits, new SamplingConfig(1, 0, 0.7, 4)), 1e-15);
        // top-p 0.5: one token
        assertArrayEquals(new double[] {1, 0, 0, 0}, TokenSampler.probabilities(logits, new SamplingConfig(1, 0, 0.5,
                4)), 0);
        double[] hot = TokenSampler.probabilities(logits, new SamplingConfig(2, 0, 1, 4));
        double z3 = Math.exp(1) + Math.exp(0.5) + 1 + Math.exp(-0.5);
        assertEquals(Math.exp(1) / z3, hot[0], 1e-15);
        int[] counts = new int[4];
        Rng rng = new Rng(11);
        for (int i = 0; i < 20000; i++) {
            counts[TokenSampler.sample(logits, new SamplingConfig(1, 2, 1, 4), rng)]++;
        }
        assertEquals(topK[0], counts[0] / 20000.0, 0.015);
        assertEquals(0, counts[2] + counts[3]);
        // top-k by partial selection equals a full sort, ties included
        Rng r = new Rng(12);
        double[] many = new double[50];
        for (int i = 0; i < many.length; i++) {
            many[i] = Math.round(3 * r.nextGaussian()) / 2.0; // many ties
        }
        double[] fast = TokenSampler.probabilities(many, new SamplingConfig(0.8, 7, 0.9, 4));
        Integer[] order = new Integer[many.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> many[a] != many[b] ? Double.compare(many[b], many[a])
                : Integer.compare(a, b));
        double[] full = TokenSampler.probabilities(many, new SamplingConfig(0.8, 0, 1, 4));
        double mass = 0;
        for (int i = 0; i < 7; i++) {
            mass += full[order[i]];
        }
        double running = 0;
        int keep = 0;
        while (keep < 7 && running < 0.9 - 1e-12) {
            running += full[order[keep++]] / mass;
        }
        double norm = 0;
        for (int i = 0; i < keep; i++) {
            norm += full[order[i]];
        }
        double[] expect = new double[many.length];
        for (int i = 0; i < keep; i++) {
            expect[order[i]] = full[order[i]] / norm;
        }
        assertArrayEquals(expect, fast, 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(0, 0, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1, 0, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1, -1, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> TokenSampler.probabilities(new double[] {Double.NaN},
                new SamplingConfig(1, 0, 1, 4)));
    }
}
