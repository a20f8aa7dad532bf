package org.leantrain.ebm;

/**
 * Unadjusted Langevin step {@code Y = X − h ∇U(X) + sqrt(2hT) ξ}. The noise scale is derived from (h, T): there is
 * deliberately no independent noise knob (spec §9, the official code's noise/step mismatch).
 */
public record UlaConfig(double stepSize, double temperature) {
    public UlaConfig {
        if (!(stepSize > 0) || !Double.isFinite(stepSize)) {
            throw new IllegalArgumentException("stepSize h must be a positive finite number, got " + stepSize);
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature T must be a positive finite number, got " + temperature);
        }
    }

    public double noiseStd() {
        return Math.sqrt(2 * stepSize * temperature);
    }
}
