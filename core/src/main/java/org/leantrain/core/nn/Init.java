package org.leantrain.core.nn;

import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Seeded weight initialisations; fan-in/fan-out follow PyTorch's conventions for each layer's shape. */
public final class Init {
    private Init() {}

    /** U(−b, b) with b = gain·√(6 / (fanIn + fanOut)). */
    public static INDArray xavierUniform(Rng rng, DataType type, long fanIn, long fanOut, double gain, long... shape) {
        double bound = gain * Math.sqrt(6.0 / (fanIn + fanOut));
        return rng.uniform(type, -bound, bound, shape);
    }

    /** N(0, gain²/fanIn): Kaiming normal (gain √2 for ReLU). */
    public static INDArray kaimingNormal(Rng rng, DataType type, long fanIn, double gain, long... shape) {
        return rng.normal(type, 0, gain / Math.sqrt(fanIn), shape);
    }

    /** U(−1/√fanIn, 1/√fanIn): PyTorch's default for Linear, Conv2d and LSTM weights and biases. */
    public static INDArray fanInUniform(Rng rng, DataType type, long fanIn, long... shape) {
        double bound = 1.0 / Math.sqrt(fanIn);
        return rng.uniform(type, -bound, bound, shape);
    }

    public static INDArray normal(Rng rng, DataType type, double std, long... shape) {
        return rng.normal(type, 0, std, shape);
    }
}
