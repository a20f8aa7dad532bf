package org.leantrain.ode;

import org.leantrain.core.tensor.Tensor;

/**
 * lo ≤ g(x, N_θ) ≤ hi at every collocation node (e.g. a damper dissipates: v·N(v) ≥ 0). g is written on row batches
 * (x [N, nx], y [N, ny] → [N, 1], differentiated by the autograd) and on one row (for merit evaluations). The
 * Gauss–Newton solver enforces it by squared-hinge penalties, so it holds to a tolerance that shrinks as the penalty
 * grows.
 */
public record PathConstraint(String name, Batched g, Row gRow, double lo, double hi) {
    public interface Batched {
        Tensor apply(Tensor x, Tensor y);
    }

    public interface Row {
        double apply(double[] x, double[] y);
    }

    public PathConstraint {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("path constraint " + name + " needs lo ≤ hi, got [" + lo + ", " + hi + "]");
        }
    }
}
