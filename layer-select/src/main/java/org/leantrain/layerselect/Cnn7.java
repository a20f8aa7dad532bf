package org.leantrain.layerselect;

import org.leantrain.core.nn.Conv2d;
import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * "cnn7" of spec §7 on 28×28 images given as rows of 784: conv1 1→16 s1, conv2 16→32 s2, conv3 32→32 s1,
 * conv4 32→64 s2 (3×3, padding 1, each + ReLU), flatten, fc1 3136→128, fc2 128→64 (+ ReLU), head 64→C.
 */
public final class Cnn7 extends Module {
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Conv2d conv3;
    private final Conv2d conv4;
    private final Linear fc1;
    private final Linear fc2;
    private final Linear head;

    public Cnn7(int classes, DataType type, Rng rng) {
        conv1 = child("conv1", new Conv2d(1, 16, 3, 1, 1, type, rng));
        conv2 = child("conv2", new Conv2d(16, 32, 3, 2, 1, type, rng));
        conv3 = child("conv3", new Conv2d(32, 32, 3, 1, 1, type, rng));
        conv4 = child("conv4", new Conv2d(32, 64, 3, 2, 1, type, rng));
        fc1 = child("fc1", new Linear(3136, 128, true, type, rng));
        fc2 = child("fc2", new Linear(128, 64, true, type, rng));
        head = child("head", new Linear(64, classes, true, type, rng));
    }

    @Override
    protected Tensor compute(Tensor x) {
        long batch = x.size(0);
        Tensor h = x.reshape(batch, 1, 28, 28);
        h = conv1.forward(h).relu();
        h = conv2.forward(h).relu();
        h = conv3.forward(h).relu();
        h = conv4.forward(h).relu();
        h = h.reshape(batch, 3136); // a view: counted once with the ReLU output it flattens
        h = fc1.forward(h).relu();
        h = fc2.forward(h).relu();
        return head.forward(h);
    }
}
