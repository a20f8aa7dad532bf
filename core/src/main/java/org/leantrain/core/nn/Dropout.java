package org.leantrain.core.nn;

import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;

/**
 * Inverted dropout: in training, each element is kept with probability 1 − p and scaled by 1/(1 − p); in eval
 * mode it is the identity. Masks come from the given seeded {@link Rng}, so a re-run from the same RNG state
 * (e.g. {@link org.leantrain.core.tensor.Checkpoint}) draws the same masks.
 */
public final class Dropout extends Module {
    private final double p;
    private final Rng rng;

    public Dropout(double p, Rng rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = rng;
    }

    public Rng rng() {
        return rng;
    }

    @Override
    protected java.util.List<Rng> ownRandomSources() {
        return java.util.List.of(rng);
    }

    @Override
    protected Tensor compute(Tensor x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        return x.mul(Tensor.of(rng.bernoulli(x.dataType(), 1 - p, x.shape()).divi(1 - p)));
    }
}
