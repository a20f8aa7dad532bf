package org.leantrain.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.tensor.TorchReference;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Closed-form single steps, and 5-step trajectories against PyTorch's optimizers. */
class OptimizersTest {
    private static void assertTrajectory(String name, Function<List<Tensor>, Optimizer> make) {
        Tensor p = Tensor.parameter(TorchReference.get("optim.p0"));
        Tensor c = Tensor.of(TorchReference.get("optim.c"));
        Tensor d = Tensor.of(TorchReference.get("optim.d"));
        Optimizer opt = make.apply(List.of(p));
        INDArray expected = TorchReference.get("optim." + name);
        for (int step = 0; step < 5; step++) {
            opt.zeroGrad();
            c.mul(p.square()).sum().mul(0.5).add(d.mul(p).sum()).backward();
            opt.step();
            INDArray want = expected.get(NDArrayIndex.point(step), NDArrayIndex.all(), NDArrayIndex.all());
            assertEquals(0, want.sub(p.value()).amaxNumber().doubleValue(), 1e-12, name + " step " + step);
        }
    }

    @Test
    void trajectoriesMatchTorch() {
        assertTrajectory("sgd_nesterov", ps -> new Sgd(ps, 0.1, 0.9, true, 0.01));
        assertTrajectory("adam", ps -> new Adam(ps, 0.05, 0.9, 0.999, 1e-8, 0.01, false));
        assertTrajectory("adamw", ps -> Adam.adamW(ps, 0.05, 0.1));
    }

    @Test
    void adamFirstStepMovesEachParameterByTheLearningRate() {
        // at t = 1 bias correction makes m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g)
        Tensor p = Tensor.parameter(Nd4j.createFromArray(1.0, -3.0, 0.5));
        Adam adam = Adam.adam(List.of(p), 0.01);
        p.mul(Tensor.of(Nd4j.createFromArray(2.0, -1.0, 0.25))).sum().backward();
        adam.step();
        assertEquals(0, p.value().sub(Nd4j.createFromArray(0.99, -2.99, 0.49)).amaxNumber().doubleValue(), 1e-8);
    }

    @Test
    void adamFirstStepInFloat32IsExactlyTheSignOfTheGradient() {
        // from 0 with lr = 1 the first step is −g/(|g| + ε) = −sign(g), to float rounding
        Tensor p = Tensor.parameter(Nd4j.zeros(DataType.FLOAT, 3));
        Adam adam = Adam.adam(List.of(p), 1.0);
        p.mul(Tensor.of(Nd4j.createFromArray(2f, -1f, 0.25f))).sum().backward();
        adam.step();
        assertEquals(0, p.value().sub(Nd4j.createFromArray(-1f, 1f, -1f)).amaxNumber().doubleValue(), 1e-6);
    }

    @Test
    void clippingScalesToTheGlobalNorm() {
        Tensor a = Tensor.parameter(Nd4j.createFromArray(0.0, 0.0));
        Tensor b = Tensor.parameter(Nd4j.createFromArray(0.0));
        a.mul(Tensor.of(Nd4j.createFromArray(3.0, 0.0))).sum().add(b.mul(4.0).sum()).backward(); // grads (3,0), (4)
        double norm = GradClip.clipGlobalNorm(List.of(a, b), 1.0);
        assertEquals(5.0, norm, 1e-12);
        assertEquals(0.6, a.grad().getDouble(0), 1e-6);
        assertEquals(0.8, b.grad().getDouble(0), 1e-6);
        assertEquals(1.0, GradClip.clipGlobalNorm(List.of(a, b), 10.0), 1e-5); // below the bound: unchanged
        assertEquals(0.6, a.grad().getDouble(0), 1e-6);
    }

    @Test
    void schedules() {
        LrSchedule cosine = LrSchedule.cosine(1.0, 0.1, 100);
        assertEquals(1.0, cosine.at(0), 1e-12);
        assertEquals(0.55, cosine.at(50), 1e-12);
        assertEquals(0.1, cosine.at(100), 1e-12);
        assertEquals(0.1, cosine.at(500), 1e-12);
        LrSchedule warm = LrSchedule.linearWarmup(10, LrSchedule.constant(0.5));
        assertEquals(0.05, warm.at(0), 1e-12);
        assertEquals(0.5, warm.at(9), 1e-12);
        assertEquals(0.5, warm.at(10), 1e-12);
        assertEquals(0.25, LrSchedule.linearDecay(1.0, 4).at(3), 1e-12);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), 0.1, 0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), 0.1, 0.5, false, -1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(), 0.1, 1.0, 0.999, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> Adam.adam(List.of(), -0.1));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(0.1, 0.2, 10));
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGlobalNorm(List.of(), 0));
    }
}
