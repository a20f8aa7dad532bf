package org.leantrain.ebm.metrics;

import org.leantrain.ebm.mnist.DigitClassifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Weighted class fractions of walkers under a classifier, and their TV error to the target weights (E3). */
public final class ModeWeightEvaluator {
    private final DigitClassifier classifier;
    private final double[] target;

    public ModeWeightEvaluator(DigitClassifier classifier, double[] target) {
        if (target.length != classifier.classes()) {
            throw new IllegalArgumentException("target has " + target.length + " weights for "
                    + classifier.classes() + " classes");
        }
        this.classifier = classifier;
        this.target = target.clone();
    }

    /**
     * @param hard      π_c = Σ_{i: argmax = c} p_i
     * @param soft      Σ_i p_i P(c | X_i)
     * @param tv        TV(π, target)
     * @param uncertain mass on walkers whose top class probability is below 0.9
     */
    public record Fractions(double[] hard, double[] soft, double tv, double uncertain) {}

    public Fractions evaluate(INDArray walkers, double[] p) {
        double[][] probs = classifier.probabilities(walkers);
        int c = target.length;
        double[] hard = new double[c];
        double[] soft = new double[c];
        double uncertain = 0;
        for (int i = 0; i < probs.length; i++) {
            int best = 0;
            for (int k = 0; k < c; k++) {
                soft[k] += p[i] * probs[i][k];
                if (probs[i][k] > probs[i][best]) {
                    best = k;
                }
            }
            hard[best] += p[i];
            if (probs[i][best] < 0.9) {
                uncertain += p[i];
            }
        }
        return new Fractions(hard, soft, GmmMetrics.totalVariation(hard, target), uncertain);
    }
}
