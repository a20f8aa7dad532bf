package org.leantrain.ebm;

import org.leantrain.core.nn.Conv2d;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** Bodies for {@link ConfinedNeuralEnergy} (the zero-initialized head is added there). */
public final class EnergyNetworks {
    private EnergyNetworks() {}

    /** SiLU MLP in → widths...; the head sits on the last width. */
    public static Module mlp(int in, int[] widths, DataType type, Rng rng) {
        Sequential seq = new Sequential();
        int prev = in;
        for (int w : widths) {
            seq.add(new Linear(prev, w, true, type, rng));
            seq.add(Sequential.lambda(Tensor::silu));
            prev = w;
        }
        return seq;
    }

    /**
     * The authors' MNIST energy CNN (spec §7 E3) on flat 784-pixel inputs: Conv 1→16 k5 s2 p4, 16→32 k3 s2 p1,
     * 32→64 k3 s2 p1, 64→64 k3 s2 p1, each SiLU, then Linear 256→64 and SiLU (features for the head: 64).
     */
    public static Module mnistCnn(DataType type, Rng rng) {
        return new Sequential(
                Sequential.lambda(x -> x.reshape(-1, 1, 28, 28)),
                new Conv2d(1, 16, 5, 2, 4, type, rng), Sequential.lambda(Tensor::silu),
                new Conv2d(16, 32, 3, 2, 1, type, rng), Sequential.lambda(Tensor::silu),
                new Conv2d(32, 64, 3, 2, 1, type, rng), Sequential.lambda(Tensor::silu),
                new Conv2d(64, 64, 3, 2, 1, type, rng), Sequential.lambda(Tensor::silu),
                Sequential.lambda(x -> x.reshape(-1, 256)),
                new Linear(256, 64, true, type, rng), Sequential.lambda(Tensor::silu));
    }
}
