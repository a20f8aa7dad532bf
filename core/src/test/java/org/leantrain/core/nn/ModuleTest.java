package org.leantrain.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ModuleTest {
    private static Sequential net(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(4, 8, rng), Sequential.lambda(Tensor::relu), new Linear(8, 3, rng));
    }

    @Test
    void saveLoadRoundTrip(@TempDir Path dir) throws IOException {
        Sequential a = net(1);
        Sequential b = net(2);
        a.save(dir.resolve("net.bin"));
        b.load(dir.resolve("net.bin"));
        a.namedParameters().forEach((name, p) -> assertEquals(p.value(), b.namedParameters().get(name).value(), name));
    }

    @Test
    void loadRefusesNonFiniteValuesAndKeepsTheModuleUnchanged(@TempDir Path dir) throws IOException {
        Sequential diverged = net(1);
        diverged.namedParameters().get("2.weight").value().putScalar(1, 0, Float.POSITIVE_INFINITY);
        Path file = dir.resolve("diverged.bin");
        diverged.save(file);
        Sequential target = net(2);
        INDArray before = target.namedParameters().get("0.weight").value().dup();
        IOException e = assertThrows(IOException.class, () -> target.load(file));
        assertTrue(e.getMessage().contains("'2.weight'") && e.getMessage().contains("Infinity"), e.getMessage());
        assertEquals(before, target.namedParameters().get("0.weight").value());
    }

    @Test
    void loadRefusesOtherModelsNamingTheParameter(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("net.bin");
        net(1).save(file);
        Rng rng = new Rng(3);
        Sequential wider = new Sequential(new Linear(4, 9, rng), Sequential.lambda(Tensor::relu), new Linear(9, 3, rng));
        IOException shape = assertThrows(IOException.class, () -> wider.load(file));
        assertTrue(shape.getMessage().contains("'0.weight'") && shape.getMessage().contains("[4, 8]"), shape.getMessage());
        Sequential deeper = new Sequential(net(1), new Linear(3, 3, rng));
        IOException other = assertThrows(IOException.class, () -> deeper.load(file));
        assertTrue(other.getMessage().contains("'0.weight'"), other.getMessage());
        Sequential shorter = new Sequential(new Linear(4, 8, rng));
        IOException extra = assertThrows(IOException.class, () -> shorter.load(file));
        assertTrue(extra.getMessage().contains("'2.weight'"), extra.getMessage());
        Sequential bigger = new Sequential(new Linear(4, 8, rng), Sequential.lambda(Tensor::relu), new Linear(8, 3, rng),
                new Linear(3, 2, rng));
        IOException missing = assertThrows(IOException.class, () -> bigger.load(file));
        assertTrue(missing.getMessage().contains("missing parameter '3.weight'"), missing.getMessage());
        Path future = dir.resolve("future.bin");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(future))) {
            out.writeUTF("leantrain-module");
            out.writeInt(99);
        }
        IOException version = assertThrows(IOException.class, () -> net(1).load(future));
        assertTrue(version.getMessage().contains("version 99"), version.getMessage());
    }

    @Test
    void forwardHooksSeeRealInputsAndOutputsAndCanBeRemoved() {
        Sequential n = net(1);
        Module first = n.layers().get(0);
        List<Tensor[]> seen = new ArrayList<>();
        Tensor x = Tensor.of(new Rng(4).normal(DataType.FLOAT, 0, 1, 2, 4));
        Tensor y;
        try (Module.HookHandle ignored = first.registerForwardHook((m, in, out) -> seen.add(new Tensor[] {in, out}))) {
            y = n.forward(x);
        }
        assertEquals(1, seen.size());
        assertSame(x, seen.get(0)[0]);
        assertEquals(first.forward(x).value(), seen.get(0)[1].value());
        assertTrue(y.requiresGrad());
        n.forward(x);
        assertEquals(1, seen.size(), "removed hook must not run");
    }

    @Test
    void frozenPrefixRecordsNothingAndGetsNoGradient() {
        Rng rng = new Rng(6);
        Linear frozen1 = new Linear(16, 32, rng);
        Linear frozen2 = new Linear(32, 32, rng);
        Linear trainable = new Linear(32, 4, rng);
        Sequential n = new Sequential(frozen1, Sequential.lambda(Tensor::relu), frozen2,
                Sequential.lambda(Tensor::relu), trainable);
        frozen1.freeze();
        frozen2.freeze();
        assertEquals(2, n.trainableParameters().size());
        Memory.reset();
        Tensor loss = Losses.crossEntropy(n.forward(Tensor.of(rng.normal(DataType.FLOAT, 0, 1, 8, 16))),
                new int[] {0, 1, 2, 3, 0, 1, 2, 3});
        // only the trainable layer's input (8×32 floats) and the loss's log-probs (8×4) are kept
        assertEquals(8 * 32 * 4 + 8 * 4 * 4, Memory.savedBytes());
        loss.backward();
        assertNull(frozen1.weight().grad());
        assertNull(frozen2.weight().grad());
        assertTrue(trainable.weight().grad() != null);
    }

    @Test
    void aFlattenedViewOfASavedActivationCountsOnce() {
        Rng rng = new Rng(8);
        Linear head = new Linear(2 * 3 * 4, 5, rng);
        Tensor x = Tensor.of(rng.normal(DataType.FLOAT, 0, 1, 6, 2, 3, 4)).requireGrad(true);
        Memory.reset();
        Tensor hidden = x.relu(); // saves its output [6,2,3,4]
        head.forward(hidden.reshape(6, -1)); // the linear saves the same bytes, seen through a reshaped view
        assertEquals(6 * 24 * 4, Memory.savedBytes());
        Memory.reset();
        Tensor slices = x.relu();
        slices.slice(0, 0, 3).relu();
        slices.slice(0, 3, 6).relu(); // two disjoint views of one buffer are two regions
        assertEquals(6 * 24 * 4 * 2, Memory.savedBytes());
    }

    @Test
    void frozenConvolutionKeepsNoInputAndStillPassesTheInputGradient() {
        Rng rng = new Rng(3);
        Conv2d frozen = new Conv2d(2, 3, 3, 1, 1, DataType.DOUBLE, rng);
        frozen.freeze();
        Tensor x = Tensor.parameter(rng.normal(DataType.DOUBLE, 0, 1, 2, 2, 5, 5));
        Memory.reset();
        Tensor y = frozen.forward(x);
        assertEquals(0, Memory.savedBytes(), "a frozen conv keeps neither its input nor (parameter) weight");
        y.square().sum().backward();
        assertNull(frozen.weight().grad());
        Conv2d trainable = new Conv2d(2, 3, 3, 1, 1, DataType.DOUBLE, new Rng(3));
        Tensor x2 = Tensor.parameter(x.value().dup());
        trainable.forward(x2).square().sum().backward();
        assertEquals(0, x.grad().sub(x2.grad()).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void initialisationsHaveTheirStatedScale() {
        Rng rng = new Rng(5);
        INDArray kaiming = Init.kaimingNormal(rng, DataType.DOUBLE, 200, Math.sqrt(2), 200, 300);
        assertEquals(Math.sqrt(2.0 / 200), kaiming.stdNumber().doubleValue(), 0.002);
        INDArray xavier = Init.xavierUniform(rng, DataType.DOUBLE, 100, 300, 1.0, 100, 300);
        double bound = Math.sqrt(6.0 / 400);
        assertTrue(xavier.amaxNumber().doubleValue() <= bound);
        assertEquals(bound / Math.sqrt(3), xavier.stdNumber().doubleValue(), 0.002);
        assertEquals(Init.normal(new Rng(1), DataType.DOUBLE, 1, 5), Init.normal(new Rng(1), DataType.DOUBLE, 1, 5));
    }

    @Test
    void sequentialCheckpointingKeepsGradientsAndCutsPeakMemory() {
        int layers = 16;
        INDArray x = new Rng(2).normal(DataType.DOUBLE, 0, 1, 8, 32);
        double[] peaks = new double[2];
        INDArray[][] grads = new INDArray[2][];
        for (int run = 0; run < 2; run++) {
            Rng rng = new Rng(9);
            Sequential deep = new Sequential();
            for (int i = 0; i < layers; i++) {
                deep.add(new Linear(32, 32, true, DataType.DOUBLE, rng)).add(Sequential.lambda(Tensor::tanh))
                        .add(new Dropout(0.1, rng.split()));
            }
            deep.checkpointEvery(run == 0 ? 0 : 4 * 3); // 4 layers of (Linear, tanh, Dropout) per segment
            Memory.reset();
            deep.forward(Tensor.of(x)).square().sum().backward();
            peaks[run] = Memory.peakSavedBytes();
            grads[run] = deep.parameters().stream().map(p -> p.grad().dup()).toArray(INDArray[]::new);
        }
        for (int i = 0; i < grads[0].length; i++) {
            assertEquals(0, grads[0][i].sub(grads[1][i]).amaxNumber().doubleValue(), 1e-12, "parameter " + i);
        }
        double activation = 8 * 32 * 8;
        // plain: per layer its input, the tanh output and the dropout mask (3 arrays), plus the loss input
        assertEquals((3 * layers + 1) * activation, peaks[0]);
        // checkpointed: 4 segment inputs plus one re-run segment (3·4 arrays, its input counted once)
        assertEquals((4 + 3 * 4 - 1) * activation, peaks[1]);
    }
}
