package org.leantrain.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.factory.Nd4j;

class SgdTest {
    @Test
    void momentumStepsMatchTheClosedForm() {
        Tensor p = Tensor.parameter(Nd4j.createFromArray(1.0, -2.0));
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.9);
        // loss = sum(p²)/2, so g = p
        for (int step = 0; step < 2; step++) {
            sgd.zeroGrad();
            p.square().sum().mul(0.5).backward();
            sgd.step();
        }
        // step 1: v = p0 = 1, p1 = 1 − 0.1 = 0.9; step 2: v = 0.9·1 + 0.9 = 1.8, p2 = 0.9 − 0.18 = 0.72
        assertEquals(0.72, p.value().getDouble(0), 1e-12);
        assertEquals(-1.44, p.value().getDouble(1), 1e-12);
    }

    @Test
    void invalidHyperparametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), 0.1, 1.0));
    }
}
