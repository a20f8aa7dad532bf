package org.leantrain.ebm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Spec §6 tests 5, 6, 7 and 13 through the public sampler API: the weighted walkers represent the moving model
 * exactly, for a step size at which plain ULA is visibly biased.
 */
class JarzynskiIdentityTest {
    private static final int N = 10_000;
    private static final double H = 0.2;

    /** Moves N walkers through θ_k = 1 + k/50 (U = θ|x|²/2, d = 2) and returns {log Ẑ − log Z_0, E_w|x|², E|x|²}. */
    private static double[] movingGaussian(WeightScheme scheme, long seed) {
        QuadraticEnergy model = new QuadraticEnergy(2, 1);
        model.setTheta(1);
        Rng rng = new Rng(seed);
        INDArray x0 = rng.normal(DataType.DOUBLE, 0, 1, N, 2); // exact ρ_{θ_0}
        WalkerConfig walkers = scheme == WeightScheme.PAPER ? WalkerConfig.paper(N) : new WalkerConfig(N, 1, 1, N, 0);
        JarzynskiSampler sampler = new JarzynskiSampler(model, x0, 0, scheme, new UlaConfig(H, 1), walkers,
                ResamplingConfig.never());
        for (int k = 1; k <= 50; k++) {
            model.setTheta(1 + k / 50.0);
            sampler.afterParameterUpdate(model, rng);
        }
        double[] sq = squaredNorms(sampler.lossWalkers());
        double unweighted = 0;
        for (double v : sq) {
            unweighted += v / sq.length;
        }
        return new double[] {sampler.logZEstimate(), sampler.training().weightedMean(sq), unweighted};
    }

    static double[] squaredNorms(INDArray x) {
        return x.mul(x).sum(1).toDoubleVector();
    }

    @ParameterizedTest
    @EnumSource(WeightScheme.class)
    void weightedWalkersFollowAMovingGaussianExactly(WeightScheme scheme) {
        double[] r = movingGaussian(scheme, 7 + scheme.ordinal());
        assertEquals(-Math.log(2), r[0], 0.015, "log Z_50/Z_0");
        assertEquals(1, r[1], 0.05, "weighted E|x|²");
        assertTrue(r[2] > 1.2, "unweighted ULA walkers are biased, got E|x|² = " + r[2]);
    }

    /**
     * Test 6, the aliasing guard: the authors' GMM script loses the old position, so only the energy change at the
     * new point survives. That rule misses log Z_50/Z_0 by far more than test 5's tolerance.
     */
    @Test
    void aliasedRuleWouldFailTheUnbiasednessTest() {
        QuadraticEnergy model = new QuadraticEnergy(2, 1);
        model.setTheta(1);
        Rng rng = new Rng(7);
        INDArray x = rng.normal(DataType.DOUBLE, 0, 1, N, 2);
        UlaKernel kernel = new UlaKernel(new UlaConfig(H, 1));
        double[] a = new double[N];
        for (int k = 1; k <= 50; k++) {
            x = kernel.step(x, model.energyAndGrad(x).grad(), rng).y();
            double[] before = model.energies(x);
            model.setTheta(1 + k / 50.0);
            double[] after = model.energies(x);
            for (int i = 0; i < N; i++) {
                a[i] += before[i] - after[i];
            }
        }
        double estimate = LogWeights.logMeanWeight(a);
        assertTrue(Math.abs(estimate + Math.log(2)) > 0.05, "aliased estimate " + estimate + " should be biased");
    }

    /** Test 7: constant θ = 2, walkers exact at the start: log Ẑ stays 0 and the weights undo ULA's bias. */
    @Test
    void constantModelKeepsLogZAndRemovesUlaBias() {
        QuadraticEnergy model = new QuadraticEnergy(2, 1);
        model.setTheta(2);
        Rng rng = new Rng(9);
        INDArray x0 = rng.normal(DataType.DOUBLE, 0, Math.sqrt(0.5), N, 2);
        JarzynskiSampler sampler = new JarzynskiSampler(model, x0, 0, WeightScheme.PAPER, new UlaConfig(H, 1),
                WalkerConfig.paper(N), ResamplingConfig.never());
        for (int k = 0; k < 50; k++) {
            sampler.afterParameterUpdate(model, rng);
        }
        double[] sq = squaredNorms(sampler.lossWalkers());
        double unweighted = java.util.Arrays.stream(sq).average().orElseThrow();
        assertEquals(0, sampler.logZEstimate(), 0.02);
        assertEquals(1, sampler.training().weightedMean(sq), 0.03);
        assertTrue(unweighted > 1.15, "ULA alone is biased here, got " + unweighted);
    }

    /** Test 13: (U, T, h) and (U/T, 1, hT) give identical trajectories and weights for the same seed. */
    @Test
    void temperatureRescalingIsExact() {
        double t = 0.3;
        double h = 0.05;
        JarzynskiSampler[] samplers = new JarzynskiSampler[2];
        QuadraticEnergy[] models = {new QuadraticEnergy(3, 1), new QuadraticEnergy(3, 1 / t)};
        double[][] ula = {{h, t}, {h * t, 1}};
        for (int s = 0; s < 2; s++) {
            models[s].setTheta(1);
            INDArray x0 = new Rng(2).normal(DataType.DOUBLE, 0, Math.sqrt(t), 50, 3);
            samplers[s] = new JarzynskiSampler(models[s], x0, 0, WeightScheme.PAPER,
                    new UlaConfig(ula[s][0], ula[s][1]), WalkerConfig.paper(50), ResamplingConfig.never());
            Rng rng = new Rng(11);
            for (int k = 1; k <= 20; k++) {
                models[s].setTheta(1 + 0.05 * k);
                samplers[s].afterParameterUpdate(models[s], rng);
            }
        }
        assertEquals(0, samplers[0].lossWalkers().sub(samplers[1].lossWalkers()).amaxNumber().doubleValue(), 1e-10);
        double[] a0 = samplers[0].training().logWeights();
        double[] a1 = samplers[1].training().logWeights();
        for (int i = 0; i < a0.length; i++) {
            assertEquals(a0[i], a1[i], 1e-10);
        }
    }

    /** Spec §8 pass accounting: PAPER costs one energy+gradient pass per walker per update, like PCD. */
    @Test
    void passCountsMatchTheCostModel() {
        QuadraticEnergy model = new QuadraticEnergy(2, 1);
        Rng rng = new Rng(1);
        INDArray x0 = rng.normal(DataType.DOUBLE, 0, 1, 40, 2);
        JarzynskiSampler paper = new JarzynskiSampler(model, x0, 0, WeightScheme.PAPER, new UlaConfig(0.1, 1),
                WalkerConfig.paper(40), ResamplingConfig.never());
        PcdSampler pcd = new PcdSampler(model, x0, WeightScheme.PAPER, new UlaConfig(0.1, 1), WalkerConfig.paper(40));
        WalkerConfig mini = new WalkerConfig(40, 3, 2, 8, 0);
        JarzynskiSampler rtm = new JarzynskiSampler(model, x0, 0, WeightScheme.REWEIGHT_THEN_MOVE,
                new UlaConfig(0.1, 1), mini, ResamplingConfig.never());
        PcdSampler pcdRtm = new PcdSampler(model, x0, WeightScheme.REWEIGHT_THEN_MOVE, new UlaConfig(0.1, 1), mini);
        long[] p0 = paper.walkerPasses();
        long[] c0 = pcd.walkerPasses();
        long[] r0 = rtm.walkerPasses();
        long[] q0 = pcdRtm.walkerPasses();
        for (int k = 0; k < 5; k++) {
            for (Sampler s : new Sampler[] {paper, pcd, rtm, pcdRtm}) {
                s.afterParameterUpdate(model, rng);
            }
        }
        assertEquals(5 * 40, paper.walkerPasses()[0] - p0[0]);
        assertEquals(5 * 40, pcd.walkerPasses()[0] - c0[0]);
        assertEquals(5 * 2 * 8 * (3 + 1), rtm.walkerPasses()[0] - r0[0], "m·b·(K+1) energy+gradient passes");
        assertEquals(5 * 40, rtm.walkerPasses()[1] - r0[1], "N energy-only passes");
        assertEquals(5 * 2 * 8 * 3, pcdRtm.walkerPasses()[0] - q0[0], "PCD: m·b·K");
    }
}
