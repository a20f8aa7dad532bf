package org.leantrain.ebm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.GradCheck;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Spec §6 tests 4 and 12: GMM derivatives and the estimator against autodiff. */
class GaussianMixtureEnergyTest {

    private static GaussianMixtureEnergy randomMixture(int modes, int dim, Rng rng) {
        double[][] a = rng.normal(DataType.DOUBLE, 0, 1.5, modes, dim).toDoubleMatrix();
        double[] z = rng.normal(DataType.DOUBLE, 0, 0.5, modes).toDoubleVector();
        return GaussianMixtureEnergy.withFirstLogitFrozen(a, z);
    }

    @Test
    void derivativesPassCentralDifferences() {
        Rng rng = new Rng(4);
        GaussianMixtureEnergy gmm = randomMixture(3, 5, rng);
        INDArray x = rng.normal(DataType.DOUBLE, 0, 2, 6, 5);
        GradCheck.standard().check(in -> gmm.energy(in[0]).sum(), x);
        gmm.logits().requireGrad(true);
        GradCheck.standard().checkParameters(() -> gmm.energy(Tensor.of(x)).sum(), List.of(gmm.means(), gmm.logits()));
    }

    @Test
    void closedFormsEqualTheTape() {
        Rng rng = new Rng(5);
        GaussianMixtureEnergy gmm = randomMixture(3, 5, rng);
        INDArray x = rng.normal(DataType.DOUBLE, 0, 2, 8, 5);
        EnergyGrad closed = gmm.energyAndGrad(x);
        double[] tapeEnergy = gmm.energy(Tensor.of(x)).value().toDoubleVector();
        Tensor xt = Tensor.of(x).requireGrad(true);
        INDArray tapeGrad = org.leantrain.core.tensor.Autograd.grad(gmm.energy(xt).sum(), xt)[0];
        for (int i = 0; i < 8; i++) {
            assertEquals(tapeEnergy[i], closed.energy()[i], 1e-12);
        }
        assertEquals(0, tapeGrad.sub(closed.grad()).amaxNumber().doubleValue(), 1e-12);
    }

    /** The closed-form surrogate gradient equals the autodiff gradient of the surrogate loss, for random A. */
    @Test
    void estimatorEqualsAutodiff() {
        Rng rng = new Rng(12);
        GaussianMixtureEnergy gmm = randomMixture(3, 4, rng);
        INDArray data = rng.normal(DataType.DOUBLE, 0, 2, 20, 4);
        INDArray walkers = rng.normal(DataType.DOUBLE, 0, 2, 30, 4);
        double[] p = LogWeights.normalize(rng.normal(DataType.DOUBLE, 0, 2, 30).toDoubleVector());

        gmm.parameters().forEach(Tensor::zeroGrad);
        double closedLoss = gmm.accumulateGradient(data, walkers, p, 0);
        INDArray closedA = gmm.means().grad().dup();
        INDArray closedZ = gmm.logits().grad().dup();

        gmm.parameters().forEach(Tensor::zeroGrad);
        Tensor loss = EbmLoss.surrogate(gmm, data, walkers, p, 0);
        assertEquals(loss.item(), closedLoss, 1e-10);
        loss.backward();
        assertEquals(0, closedA.sub(gmm.means().grad()).amaxNumber().doubleValue(), 1e-10);
        assertEquals(0, closedZ.getDouble(0, 0), 0.0, "z_1 is frozen");
        for (int m = 1; m < 3; m++) {
            assertEquals(gmm.logits().grad().getDouble(0, m), closedZ.getDouble(0, m), 1e-10);
        }
    }

    @Test
    void massesAndPartitionFollowTheLogits() {
        GaussianMixtureEnergy gmm = GaussianMixtureEnergy.withFirstLogitFrozen(new double[][] {{-10, 0}, {6, 0}},
                new double[] {0, -Math.log(3)});
        assertEquals(0.25, gmm.modeMasses()[0], 1e-14);
        assertEquals(0.75, gmm.modeMasses()[1], 1e-14);
        assertEquals(Math.log(2 * Math.PI) + Math.log(1 + 3), gmm.logPartition(), 1e-12);
        INDArray s = gmm.sample(20000, new Rng(3));
        double right = 0;
        for (double v : s.getColumn(0).toDoubleVector()) {
            right += v > -2 ? 1 : 0;
        }
        assertEquals(0.75, right / 20000, 5 * Math.sqrt(0.75 * 0.25 / 20000));
    }
}
