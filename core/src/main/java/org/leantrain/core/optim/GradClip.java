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
        double norm = Math.sqrt(sumOfSquares(parameters));
        if (!Double.isFinite(norm)) {
            throw new ArithmeticException("gradient norm is " + norm + "; cannot clip a non-finite gradient");
        }
        double scale = scale(norm, maxNorm);
        if (scale < 1) {
            for (Tensor p : parameters) {
                if (p.grad() != null) {
                    p.grad().muli(scale);
                }
            }
        }
        return norm;
    }

    /** Σ g² over the gradients of {@code parameters} (those without one count 0): a part of a global norm. */
    public static double sumOfSquares(List<Tensor> parameters) {
        double sumSquares = 0;
        for (Tensor p : parameters) {
            INDArray g = p.grad();
            if (g != null) {
                double n = g.norm2Number().doubleValue();
                sumSquares += n * n;
            }
        }
        return sumSquares;
    }

    /** The factor min(1, maxNorm / (norm + 1e-6)) that clips a global gradient norm to {@code maxNorm}. */
    public static double scale(double norm, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        return Math.min(1.0, maxNorm / (norm + 1e-6));
    }
}
