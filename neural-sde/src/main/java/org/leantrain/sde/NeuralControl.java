package org.leantrain.sde;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * u_NN: a tanh MLP on the features (x, sin 2πt/T, cos 2πt/T) (spec §2.4). With a zero-initialised last layer
 * (weight and bias) it outputs exactly 0 at the start, so a hybrid control starts at u_lin and this control alone at
 * the prior; the hidden layers get the usual initialisation. Used alone it is the NN-only baseline.
 */
public final class NeuralControl implements Control {
    private final List<Linear> layers = new ArrayList<>();
    private final double horizon;
    private final boolean zeroLast;

    public NeuralControl(int stateDim, int noiseDim, int hidden, int hiddenLayers, double horizon, boolean zeroLast,
            Rng rng) {
        if (hidden < 1 || hiddenLayers < 1) {
            throw new IllegalArgumentException("hidden width and hidden layers must be >= 1, got " + hidden + ", "
                    + hiddenLayers);
        }
        int in = stateDim + 2;
        for (int l = 0; l < hiddenLayers; l++) {
            layers.add(new Linear(in, hidden, true, DataType.DOUBLE, rng));
            in = hidden;
        }
        Linear last = new Linear(in, noiseDim, true, DataType.DOUBLE, rng);
        if (zeroLast) {
            last.weight().value().assign(0);
            last.bias().value().assign(0);
        }
        layers.add(last);
        this.horizon = horizon;
        this.zeroLast = zeroLast;
    }

    @Override
    public Tensor u(Tensor x, int k, double t) {
        long paths = x.size(0);
        double phase = 2 * Math.PI * t / horizon;
        Tensor time = Tensor.of(Nd4j.createFromArray(new double[] {Math.sin(phase), Math.cos(phase)}).reshape(1, 2)
                .repeat(0, paths));
        Tensor h = Tensor.concat(1, x, time);
        for (int l = 0; l < layers.size() - 1; l++) {
            h = layers.get(l).forward(h).tanh();
        }
        return layers.get(layers.size() - 1).forward(h);
    }

    /** The hidden layers then the output layer (weights [in, out], biases [out]). */
    List<Linear> layers() {
        return layers;
    }

    double horizon() {
        return horizon;
    }

    @Override
    public List<Tensor> parameters() {
        List<Tensor> all = new ArrayList<>();
        layers.forEach(l -> all.addAll(l.parameters()));
        return all;
    }

    @Override
    public String name() {
        return zeroLast ? "NN-only" : "NN-only (random last layer)";
    }
}
