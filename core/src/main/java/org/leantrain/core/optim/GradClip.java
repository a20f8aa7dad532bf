package org.leantrain.core.optim;

import java.util.List;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Global gradient-norm clipping, as PyTorch's clip_grad_norm_. */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales all gradients by min(1, maxNorm / (‖g‖₂ + 1e-6)) where ‖g‖₂ is over all parameters together; returns
     * the norm before clipping. A NaN/Inf norm is an error (clipping would spread it to every parameter).
     */
    public static double clipGlobalNorm(List<Tensor> parameters, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        double sumSquares = 0;
        for (Tensor p : parameters) {
            INDArray g = p.grad();
            if (g != null) {
                double n = g.norm2Number().doubleValue();
                sumSquares += n * n;
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (!Double.isFinite(norm)) {
            throw new ArithmeticException("gradient norm is " + norm + "; cannot clip a non-finite gradient");
        }
        double scale = maxNorm / (norm + 1e-6);
        if (scale < 1) {
            for (Tensor p : parameters) {
                if (p.grad() != null) {
                    p.grad().muli(scale);
                }
            }
        }
        return norm;
    }
}
