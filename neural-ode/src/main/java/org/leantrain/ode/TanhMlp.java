package org.leantrain.ode;

import java.util.List;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tanh MLP whose weights live in one flat double vector θ (the NLP's variables), layer by layer: W_ℓ [in, out]
 * row-major, then b_ℓ [out]. No activation after the last layer.
 */
public final class TanhMlp {
    private final int[] widths;
    private final int[] offsets;

    public TanhMlp(int... widths) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("an MLP needs input and output widths, got "
                    + java.util.Arrays.toString(widths));
        }
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("MLP widths must be positive, got " + java.util.Arrays.toString(widths));
            }
        }
        this.widths = widths.clone();
        this.offsets = new int[widths.length];
        for (int l = 1; l < widths.length; l++) {
            offsets[l] = offsets[l - 1] + widths[l - 1] * widths[l] + widths[l];
        }
    }

    public int layers() {
        return widths.length - 1;
    }

    public int width(int i) {
        return widths[i];
    }

    public int inputDim() {
        return widths[0];
    }

    public int outputDim() {
        return widths[widths.length - 1];
    }

    public int paramCount() {
        return offsets[widths.length - 1];
    }

    /** Offset in θ of W_ℓ (ℓ = 0..layers−1); the bias follows it. */
    public int weightOffset(int layer) {
        return offsets[layer];
    }

    public int biasOffset(int layer) {
        return offsets[layer] + widths[layer] * widths[layer + 1];
    }

    /** Glorot-normal weights, zero biases, and a zero last layer: the model starts as the pure physics. */
    public double[] initialWeights(Rng rng) {
        double[] theta = new double[paramCount()];
        for (int l = 0; l + 1 < layers(); l++) {
            double std = Math.sqrt(2.0 / (widths[l] + widths[l + 1]));
            for (int i = 0; i < widths[l] * widths[l + 1]; i++) {
                theta[weightOffset(l) + i] = std * rng.nextGaussian();
            }
        }
        return theta;
    }

    /** Forward on a row batch [N, in]; fills {@code preActivations} with s_ℓ = a_{ℓ−1}W_ℓ + b_ℓ, one per layer. */
    public Tensor forward(Tensor z, double[] theta, List<Tensor> preActivations) {
        Tensor a = z;
        for (int l = 0; l < layers(); l++) {
            Tensor w = Tensor.parameter(Nd4j.create(java.util.Arrays.copyOfRange(theta, weightOffset(l),
                    biasOffset(l)), new long[] {widths[l], widths[l + 1]}, 'c').castTo(DataType.DOUBLE));
            Tensor b = Tensor.parameter(Nd4j.create(java.util.Arrays.copyOfRange(theta, biasOffset(l),
                    biasOffset(l) + widths[l + 1]), new long[] {widths[l + 1]}, 'c').castTo(DataType.DOUBLE));
            Tensor s = a.matmul(w).add(b);
            preActivations.add(s);
            a = l + 1 < layers() ? s.tanh() : s;
        }
        return a;
    }

    /** Forward on a row batch with θ as one flat tensor [nθ] (the tape path: gradients flow to θ itself). */
    public Tensor forward(Tensor z, Tensor theta) {
        Tensor a = z;
        for (int l = 0; l < layers(); l++) {
            Tensor w = theta.slice(0, weightOffset(l), biasOffset(l)).reshape(widths[l], widths[l + 1]);
            Tensor b = theta.slice(0, biasOffset(l), biasOffset(l) + widths[l + 1]);
            Tensor s = a.matmul(w).add(b);
            a = l + 1 < layers() ? s.tanh() : s;
        }
        return a;
    }

    /** Forward of one row; {@code activations[ℓ]} receives a_ℓ (a_0 = z), sized by {@link #newActivations()}. */
    public void forwardRow(double[] theta, double[] z, double[][] activations, double[] out) {
        System.arraycopy(z, 0, activations[0], 0, widths[0]);
        for (int l = 0; l < layers(); l++) {
            double[] in = activations[l];
            double[] next = l + 1 < layers() ? activations[l + 1] : out;
            int nIn = widths[l];
            int nOut = widths[l + 1];
            int wo = weightOffset(l);
            int bo = biasOffset(l);
            for (int o = 0; o < nOut; o++) {
                next[o] = theta[bo + o];
            }
            for (int i = 0; i < nIn; i++) {
                double ai = in[i];
                int row = wo + i * nOut;
                for (int o = 0; o < nOut; o++) {
                    next[o] += ai * theta[row + o];
                }
            }
            if (l + 1 < layers()) {
                for (int o = 0; o < nOut; o++) {
                    next[o] = Math.tanh(next[o]);
                }
            }
        }
    }

    public double[][] newActivations() {
        double[][] a = new double[layers()][];
        for (int l = 0; l < layers(); l++) {
            a[l] = new double[widths[l]];
        }
        return a;
    }
}
