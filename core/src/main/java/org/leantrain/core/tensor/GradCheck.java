package org.leantrain.core.tensor;

import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares analytic gradients with central differences in float64.
 *
 * <p>The function maps input tensors to an output; a non-scalar output is contracted with fixed random weights
 * first, so the whole Jacobian is exercised. Failures name the input, the element, and both values.
 */
public final class GradCheck {
    private final double eps;
    private final double relTol;
    private final double absTol;

    private GradCheck(double eps, double relTol, double absTol) {
        this.eps = eps;
        this.relTol = relTol;
        this.absTol = absTol;
    }

    /** eps 1e-6, relative tolerance 1e-5, absolute tolerance 1e-8. */
    public static GradCheck standard() {
        return new GradCheck(1e-6, 1e-5, 1e-8);
    }

    public static GradCheck of(double eps, double relTol, double absTol) {
        if (!(eps > 0) || !(relTol >= 0) || !(absTol >= 0)) {
            throw new IllegalArgumentException("GradCheck needs eps > 0 and non-negative tolerances, got eps=" + eps
                    + ", relTol=" + relTol + ", absTol=" + absTol);
        }
        return new GradCheck(eps, relTol, absTol);
    }

    /** Checks d f / d inputs at the given float64 values; throws AssertionError with details on a mismatch. */
    public void check(Function<Tensor[], Tensor> f, INDArray... values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i].dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("GradCheck works in float64; input " + i + " is "
                        + values[i].dataType());
            }
        }
        INDArray[] x = new INDArray[values.length];
        for (int i = 0; i < values.length; i++) {
            x[i] = values[i].dup('c');
        }
        Tensor[] params = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            params[i] = Tensor.parameter(x[i]);
        }
        Tensor out = f.apply(params);
        INDArray weights = contraction(out.shape());
        INDArray[] analytic = Autograd.grad(scalarize(out, weights), params);

        for (int i = 0; i < x.length; i++) {
            INDArray flat = x[i].reshape(x[i].length());
            for (long e = 0; e < flat.length(); e++) {
                double original = flat.getDouble(e);
                flat.putScalar(e, original + eps);
                double plus = evaluate(f, x, weights);
                flat.putScalar(e, original - eps);
                double minus = evaluate(f, x, weights);
                flat.putScalar(e, original);
                compare("input " + i + " (shape " + Nd.shape(x[i].shape()) + ")", e,
                        analytic[i].reshape(analytic[i].length()).getDouble(e), (plus - minus) / (2 * eps));
            }
        }
    }

    /**
     * Checks the gradients of a scalar loss with respect to parameters (float64 leaves, e.g. a module's), by
     * perturbing their values in place; {@code loss} must rebuild the graph on every call.
     */
    public void checkParameters(java.util.function.Supplier<Tensor> loss, java.util.List<Tensor> parameters) {
        Tensor[] params = parameters.toArray(new Tensor[0]);
        for (Tensor p : params) {
            if (p.dataType() != DataType.DOUBLE || !p.isLeaf() || p.value().isView() || p.value().ordering() != 'c') {
                throw new IllegalArgumentException("checkParameters needs contiguous float64 leaves, got "
                        + p.describe());
            }
        }
        INDArray[] analytic = Autograd.grad(loss.get(), params);
        for (int i = 0; i < params.length; i++) {
            INDArray flat = params[i].value().reshape(params[i].value().length());
            for (long e = 0; e < flat.length(); e++) {
                double original = flat.getDouble(e);
                flat.putScalar(e, original + eps);
                double plus = evaluateNoGrad(loss);
                flat.putScalar(e, original - eps);
                double minus = evaluateNoGrad(loss);
                flat.putScalar(e, original);
                compare("parameter " + params[i].describe(), e, analytic[i].reshape(analytic[i].length()).getDouble(e),
                        (plus - minus) / (2 * eps));
            }
        }
    }

    private static double evaluateNoGrad(java.util.function.Supplier<Tensor> loss) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return loss.get().item();
        }
    }

    private void compare(String what, long element, double analytic, double numeric) {
        double tolerance = absTol + relTol * Math.max(Math.abs(analytic), Math.abs(numeric));
        if (!(Math.abs(analytic - numeric) <= tolerance)) {
            throw new AssertionError(String.format("gradient mismatch at %s, element %d: analytic %.10g, numeric"
                    + " %.10g, |diff| %.3g > tolerance %.3g", what, element, analytic, numeric,
                    Math.abs(analytic - numeric), tolerance));
        }
    }

    private static double evaluate(Function<Tensor[], Tensor> f, INDArray[] x, INDArray weights) {
        Tensor[] in = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            in[i] = Tensor.of(x[i]);
        }
        return evaluateNoGrad(() -> scalarize(f.apply(in), weights));
    }

    private static Tensor scalarize(Tensor out, INDArray weights) {
        return weights == null ? out : out.mul(Tensor.of(weights)).sum();
    }

    /** Fixed weights in [0.5, 1.5) with alternating sign, or null for a scalar output. */
    private static INDArray contraction(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n == 1) {
            return null;
        }
        double[] w = new double[Math.toIntExact(n)];
        long state = 12345;
        for (int i = 0; i < w.length; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            double u = (state >>> 11) * 0x1.0p-53;
            w[i] = (i % 2 == 0 ? 1 : -1) * (0.5 + u);
        }
        return Nd4j.create(w, shape, DataType.DOUBLE);
    }
}
