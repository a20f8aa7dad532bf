package org.leantrain.ebm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.analysis.integration.SimpsonIntegrator;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.GradCheck;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Confinements (spec §6 test 14), zero-initialized heads, and gradient checks of the neural energies. */
class NeuralEnergyTest {

    @Test
    void softBoxSamplerAndPartitionFunction() {
        double t = 1e-4;
        Confinement.SoftBox box = new Confinement.SoftBox(100);
        INDArray x = box.sample(20, 784, t, DataType.DOUBLE, new Rng(14));
        double tail = box.tailWidth(t);
        double expected = tail / (2 + tail);
        long outside = 0;
        for (double v : x.reshape(x.length()).toDoubleVector()) {
            outside += Math.abs(v) > 1 ? 1 : 0;
        }
        double n = x.length();
        assertEquals(expected, outside / n, 5 * Math.sqrt(expected * (1 - expected) / n));

        // log Z_0 per coordinate against 1-D quadrature of exp(−C/T): flat part 2, tails integrated numerically
        double lambda = 100;
        double tailIntegral = new SimpsonIntegrator(1e-13, 1e-13, 3, 30)
                .integrate(1_000_000, u -> Math.exp(-lambda / 2 * u * u / t), 0, 20 * Math.sqrt(t / lambda));
        assertEquals(Math.log(2 + 2 * tailIntegral), box.logZ0(1, t), 1e-8);
        assertEquals(784 * Math.log(2 + tail), box.logZ0(784, t), 1e-9);
    }

    @Test
    void gaussianConfinementMatchesItsSampler() {
        Confinement.Gaussian c = new Confinement.Gaussian(4);
        INDArray x = c.sample(20000, 2, 0.5, DataType.DOUBLE, new Rng(3));
        double var = x.mul(x).meanNumber().doubleValue();
        assertEquals(16 * 0.5, var, 0.2);
        assertEquals(Math.log(2 * Math.PI * 16 * 0.5), c.logZ0(2, 0.5), 1e-12);
    }

    @Test
    void zeroHeadMakesTheInitialModelTheConfinement() {
        Rng rng = new Rng(1);
        ConfinedNeuralEnergy energy = new ConfinedNeuralEnergy(EnergyNetworks.mlp(3, new int[] {8, 8},
                DataType.DOUBLE, rng), 8, 3, new Confinement.Gaussian(2), DataType.DOUBLE, rng);
        INDArray x = rng.normal(DataType.DOUBLE, 0, 1, 5, 3);
        double[] u = energy.energies(x);
        double[] sq = x.mul(x).sum(1).toDoubleVector();
        for (int i = 0; i < 5; i++) {
            assertEquals(sq[i] / 8, u[i], 1e-14);
        }
    }

    private static void randomizeHead(ConfinedNeuralEnergy energy, Rng rng) {
        for (Tensor p : energy.parameters()) {
            if (p.value().amaxNumber().doubleValue() == 0) {
                p.value().assign(rng.normal(DataType.DOUBLE, 0, 0.5, p.shape()));
            }
        }
    }

    @Test
    void mlpEnergyPassesGradientChecks() {
        Rng rng = new Rng(2);
        ConfinedNeuralEnergy energy = new ConfinedNeuralEnergy(EnergyNetworks.mlp(4, new int[] {6, 5},
                DataType.DOUBLE, rng), 5, 4, new Confinement.SoftBox(3), DataType.DOUBLE, rng);
        randomizeHead(energy, rng);
        INDArray x = rng.uniform(DataType.DOUBLE, -1.6, 1.6, 3, 4);
        GradCheck.standard().check(in -> energy.energy(in[0]).sum(), x);
        GradCheck.standard().checkParameters(() -> energy.energy(Tensor.of(x)).sum(), energy.parameters());
        EnergyGrad eg = energy.energyAndGrad(x);
        Tensor xt = Tensor.of(x).requireGrad(true);
        INDArray tape = org.leantrain.core.tensor.Autograd.grad(energy.energy(xt).sum(), xt)[0];
        assertEquals(0, tape.sub(eg.grad()).amaxNumber().doubleValue(), 1e-14);
    }

    @Test
    void cnnEnergyPassesInputGradientCheck() {
        Rng rng = new Rng(3);
        ConfinedNeuralEnergy energy = new ConfinedNeuralEnergy(EnergyNetworks.mnistCnn(DataType.DOUBLE, rng), 64, 784,
                new Confinement.SoftBox(100), DataType.DOUBLE, rng);
        randomizeHead(energy, rng);
        INDArray x = rng.uniform(DataType.DOUBLE, -1.05, 1.05, 1, 784);
        GradCheck.standard().check(in -> energy.energy(in[0]).sum(), x);
    }
}
