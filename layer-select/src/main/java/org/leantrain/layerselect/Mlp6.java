package org.leantrain.layerselect;

import org.leantrain.core.nn.Linear;
import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/** "mlp6" of spec §7: fc1 784→256, fc2..fc5 256→256, each + ReLU, head 256→C (6 candidate layers). */
public final class Mlp6 extends Module {
    private final Linear[] hidden = new Linear[5];
    private final Linear head;

    public Mlp6(int classes, DataType type, Rng rng) {
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = child("fc" + (i + 1), new Linear(i == 0 ? 784 : 256, 256, true, type, rng));
        }
        head = child("head", new Linear(256, classes, true, type, rng));
    }

    @Override
    protected Tensor compute(Tensor x) {
        for (Linear fc : hidden) {
            x = fc.forward(x).relu();
        }
        return head.forward(x);
    }
}
