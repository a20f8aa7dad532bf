package org.leantrain.core.tensor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.factory.Nd4j;

/** Losses, each the mean over the batch. */
public final class Losses {
    private Losses() {}

    /** Mean of −log softmax(logits)[label] over the rows of logits [N, C]; labels in [0, C). */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        long[] s = logits.shape();
        if (s.length != 2) {
            throw new IllegalArgumentException("crossEntropy: logits must be [N, C], got " + Nd.shape(s));
        }
        if (labels.length != s[0]) {
            throw new IllegalArgumentException("crossEntropy: " + labels.length + " labels for " + s[0] + " rows of logits");
        }
        int classes = (int) s[1];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("crossEntropy: label " + labels[i] + " at row " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        int[] targets = labels.clone();
        INDArray logProbs = Reductions.logSoftmaxArray(logits.value(), 1);
        double scale = 1.0 / labels.length;
        INDArray loss = Nd.mul(logProbs, oneHot(targets, classes, logits.dataType())).sum().muli(-scale);
        // only the log-probabilities (B×C) are kept; the one-hot targets are rebuilt from the labels in backward
        return Tape.record("crossEntropy", loss, new Tensor[] {logits}, Tape.saved(logProbs), (g, needs) -> {
            // (softmax − onehot) / N
            INDArray target = oneHot(targets, classes, logProbs.dataType());
            return new INDArray[] {Nd.transform(logProbs, Exp::new).subi(target).muli(scale * g.getDouble(0))};
        });
    }

    private static INDArray oneHot(int[] labels, int classes, DataType type) {
        double[] oneHot = new double[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            oneHot[i * classes + labels[i]] = 1;
        }
        return Nd4j.create(oneHot, new long[] {labels.length, classes}, type);
    }

    /** Mean squared error; both sides may require gradients. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        checkSameShape("mse", prediction, target);
        return prediction.sub(target).square().mean();
    }

    /** Binary cross-entropy on logits, mean(softplus(x) − t·x), stable for large |x|; targets in [0, 1]. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets) {
        checkSameShape("binaryCrossEntropyWithLogits", logits, targets);
        return logits.softplus().sub(logits.mul(targets)).mean();
    }

    private static void checkSameShape(String op, Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": prediction shape " + Nd.shape(a.shape())
                    + " differs from target shape " + Nd.shape(b.shape()));
        }
    }
}
