package org.leantrain.ode;

/**
 * The solver-based training objective, the same F as the collocation NLP but on simulated states:
 * F = ½ Σ_d Σ_o (w_o/Nd)(x_o(t_d) − ŷ_{d,o})² + ½λ‖θ‖², with x_0 a trained variable.
 */
final class TrajectoryLoss {
    private final TrainingData data;
    private final double lambda;

    TrajectoryLoss(TrainingData data, double lambda) {
        this.data = data;
        this.lambda = lambda;
    }

    /** The data part at data point d for state x; adds ∂/∂x into grad when grad is not null. */
    double dataTerm(int d, double[] x, double[] grad) {
        double nd = data.size();
        double v = 0;
        int[] obs = data.observedStates();
        for (int o = 0; o < obs.length; o++) {
            double w = data.weights()[o] / nd;
            double e = x[obs[o]] - data.obs()[d][o];
            v += 0.5 * w * e * e;
            if (grad != null) {
                grad[obs[o]] += w * e;
            }
        }
        return v;
    }

    double regularisation(double[] theta, double[] grad) {
        double v = 0;
        for (int i = 0; i < theta.length; i++) {
            v += 0.5 * lambda * theta[i] * theta[i];
            if (grad != null) {
                grad[i] += lambda * theta[i];
            }
        }
        return v;
    }

    TrainingData data() {
        return data;
    }
}
