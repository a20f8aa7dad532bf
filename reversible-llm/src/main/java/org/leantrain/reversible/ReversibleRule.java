package org.leantrain.reversible;

import org.leantrain.core.util.Rng;

/**
 * How layer l turns the pair (p_{l−1}, p_l) into p_{l+1} (spec §2). The two-step rules have the form
 * p_{l+1} = A_l·p_{l−1} + B_l·p_l + C_l·f_l(p_l) with A_l ≠ 0, so p_{l−1} = (p_{l+1} − B_l·p_l − C_l·f_l(p_l)) / A_l.
 * {@link Hamiltonian} instead couples two streams q, p (RevNet additive coupling with F = attention, G = MLP).
 */
public sealed interface ReversibleRule
        permits ReversibleRule.Midpoint, ReversibleRule.Leapfrog, ReversibleRule.StochasticMidpoint,
        ReversibleRule.Hamiltonian {

    /** The coefficients of layer {@code layer}; Hamiltonian has none. */
    Coeffs coeffs(int layer);

    /** Whether the rule can hold its states as exact fixed-point integers (needs |A| = 1 and integer B). */
    default boolean supportsFixedPointState() {
        return true;
    }

    /** p_{l+1} = a·p_{l−1} + b·p_l + c·f_l(p_l). */
    record Coeffs(double a, double b, double c) {}

    /** p_{l+1} = p_{l−1} + 2h·f_l(p_l); first order; h = 0.5 (C = 1) by default. */
    record Midpoint(double h) implements ReversibleRule {
        public Midpoint {
            positiveFinite(h);
        }

        @Override
        public Coeffs coeffs(int layer) {
            return new Coeffs(1, 0, 2 * h);
        }
    }

    /** p_{l+1} = −p_{l−1} + 2p_l + h²·f_l(p_l); second order, neutral for −4 ≤ h²λ ≤ 0; h = 1 by default. */
    record Leapfrog(double h) implements ReversibleRule {
        public Leapfrog {
            positiveFinite(h);
        }

        @Override
        public Coeffs coeffs(int layer) {
            return new Coeffs(-1, 2, h * h);
        }
    }

    /**
     * p_{l+1} = a_l·p_{l−1} + (1 − a_l)·p_l + h·f_l(p_l) with a_l = ±1 + U(−½, ½) fixed per layer ("midpoint-a"):
     * forward Euler in expectation. Dividing by a_l on inversion rules out fixed-point states.
     */
    record StochasticMidpoint(double h, double[] a) implements ReversibleRule {
        public StochasticMidpoint {
            positiveFinite(h);
            if (a == null || a.length == 0) {
                throw new IllegalArgumentException("StochasticMidpoint needs one coefficient a_l per layer");
            }
            for (int l = 0; l < a.length; l++) {
                if (!Double.isFinite(a[l]) || Math.abs(a[l]) < 0.25) {
                    throw new IllegalArgumentException("StochasticMidpoint coefficient a_" + l + " = " + a[l]
                            + " must be finite with |a| >= 0.25 (inverting divides by it)");
                }
            }
            a = a.clone();
        }

        /** Draws a_l = σ_l + u_l, σ_l = ±1 equiprobable, u_l ~ U(−½, ½), for {@code layers} layers. */
        public static StochasticMidpoint sample(int layers, double h, Rng rng) {
            if (layers < 1) {
                throw new IllegalArgumentException("layers must be >= 1, got " + layers);
            }
            double[] a = new double[layers];
            for (int l = 0; l < layers; l++) {
                double sign = rng.nextDouble() < 0.5 ? -1 : 1;
                a[l] = sign + (rng.nextDouble() - 0.5);
            }
            return new StochasticMidpoint(h, a);
        }

        @Override
        public double[] a() {
            return a.clone();
        }

        @Override
        public Coeffs coeffs(int layer) {
            if (layer < 0 || layer >= a.length) {
                throw new IllegalArgumentException("StochasticMidpoint has coefficients for " + a.length
                        + " layers, asked for layer " + layer);
            }
            return new Coeffs(a[layer], 1 - a[layer], h);
        }

        @Override
        public boolean supportsFixedPointState() {
            return false;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StochasticMidpoint s && s.h == h && java.util.Arrays.equals(s.a, a);
        }

        @Override
        public int hashCode() {
            return 31 * Double.hashCode(h) + java.util.Arrays.hashCode(a);
        }

        @Override
        public String toString() {
            return "StochasticMidpoint[h=" + h + ", a=" + java.util.Arrays.toString(a) + "]";
        }
    }

    /** Symplectic Euler: q_{l+1} = q_l + 𝒜_l(p_l), p_{l+1} = p_l + 𝓜_l(q_{l+1}). */
    record Hamiltonian() implements ReversibleRule {
        @Override
        public Coeffs coeffs(int layer) {
            throw new UnsupportedOperationException("HAMILTONIAN couples two streams and has no (A, B, C) form");
        }
    }

    private static void positiveFinite(double h) {
        if (!(h > 0) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("step size h must be positive and finite, got " + h);
        }
    }
}
