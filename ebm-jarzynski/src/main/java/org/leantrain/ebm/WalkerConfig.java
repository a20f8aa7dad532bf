package org.leantrain.ebm;

/**
 * Walker population and moves per update. {@code stepsPerUpdate} K ULA steps for each of {@code miniBatches} m
 * mini-batches of {@code miniBatchSize} b walkers (REWEIGHT_THEN_MOVE); PAPER ordering needs K = m = 1, b = N.
 * {@code trackingFraction} φ of the walkers move and are reweighted but never enter the gradient; log Ẑ and Ĥ are
 * read from them (spec §2, self-interaction bias).
 */
public record WalkerConfig(int numWalkers, int stepsPerUpdate, int miniBatches, int miniBatchSize,
                           double trackingFraction) {
    public WalkerConfig {
        if (numWalkers < 2) {
            throw new IllegalArgumentException("numWalkers N must be >= 2, got " + numWalkers);
        }
        if (stepsPerUpdate < 1) {
            throw new IllegalArgumentException("stepsPerUpdate K must be >= 1, got " + stepsPerUpdate);
        }
        if (miniBatches < 1) {
            throw new IllegalArgumentException("miniBatches m must be >= 1, got " + miniBatches);
        }
        if (miniBatchSize < 1 || miniBatchSize > numWalkers) {
            throw new IllegalArgumentException("miniBatchSize b must be in [1, numWalkers=" + numWalkers + "], got "
                    + miniBatchSize);
        }
        if (!(trackingFraction >= 0 && trackingFraction <= 0.9)) {
            throw new IllegalArgumentException("trackingFraction must be in [0, 0.9], got " + trackingFraction);
        }
    }

    /** One step of all N walkers per update, no tracking subset: the PAPER ordering. */
    public static WalkerConfig paper(int numWalkers) {
        return new WalkerConfig(numWalkers, 1, 1, numWalkers, 0);
    }

    /** Walkers that are not in the tracking subset. */
    int trainingWalkers() {
        return numWalkers - trackingWalkers();
    }

    int trackingWalkers() {
        return (int) Math.round(trackingFraction * numWalkers);
    }
}
