package org.leantrain.ode;

/**
 * Nominal magnitudes of the states: the NLP works with x / scale so every unknown is O(1) (the quarter-vehicle
 * model mixes centimetres and metres per second). Data residuals are scaled by {@link TrainingData#weights()}.
 */
public record Scaling(double[] state) {
    public Scaling {
        for (int i = 0; i < state.length; i++) {
            if (!(state[i] > 0) || !Double.isFinite(state[i])) {
                throw new IllegalArgumentException("state scale " + i + " must be a positive finite number, got "
                        + state[i]);
            }
        }
        state = state.clone();
    }

    public static Scaling unit(int nx) {
        double[] s = new double[nx];
        java.util.Arrays.fill(s, 1);
        return new Scaling(s);
    }
}
