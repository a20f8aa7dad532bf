package org.leantrain.reversible;

/** Add-one-smoothed character bigram (and unigram) model: the perplexity floor every trained LM must beat. */
public final class BigramLM {
    private final int vocab;
    private final double[][] logProb;
    private final double[] unigramLogProb;

    public BigramLM(int[] train, int vocab) {
        if (vocab < 1 || train.length < 2) {
            throw new IllegalArgumentException("need vocab >= 1 and at least 2 training ids");
        }
        this.vocab = vocab;
        double[][] counts = new double[vocab][vocab];
        double[] unigram = new double[vocab];
        for (int i = 0; i < train.length; i++) {
            unigram[check(train[i])]++;
            if (i + 1 < train.length) {
                counts[train[i]][check(train[i + 1])]++;
            }
        }
        logProb = new double[vocab][vocab];
        for (int a = 0; a < vocab; a++) {
            double total = vocab;
            for (double c : counts[a]) {
                total += c;
            }
            for (int b = 0; b < vocab; b++) {
                logProb[a][b] = Math.log((counts[a][b] + 1) / total);
            }
        }
        unigramLogProb = new double[vocab];
        for (int a = 0; a < vocab; a++) {
            unigramLogProb[a] = Math.log((unigram[a] + 1) / (train.length + vocab));
        }
    }

    /** Mean −log p(x_{i+1} | x_i) over consecutive pairs of {@code ids}, in nats. */
    public double crossEntropy(int[] ids) {
        double total = 0;
        for (int i = 0; i + 1 < ids.length; i++) {
            total -= logProb[check(ids[i])][check(ids[i + 1])];
        }
        return total / (ids.length - 1);
    }

    /** Mean −log p(x_i) of the add-one unigram model over {@code ids}, in nats. */
    public double unigramCrossEntropy(int[] ids) {
        double total = 0;
        for (int id : ids) {
            total -= unigramLogProb[check(id)];
        }
        return total / ids.length;
    }

    private int check(int id) {
        if (id < 0 || id >= vocab) {
            throw new IllegalArgumentException("id " + id + " is outside [0, " + vocab + ")");
        }
        return id;
    }
}
