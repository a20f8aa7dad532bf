package org.leantrain.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.GradCheck;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class LinearTest {
    @Test
    void gradientsWithRespectToInputWeightAndBias() {
        Rng rng = new Rng(4);
        Linear layer = new Linear(3, 2, true, DataType.DOUBLE, rng);
        INDArray x = rng.normal(DataType.DOUBLE, 0, 1, 5, 3);
        GradCheck.standard().check(in -> in[0].matmul(in[1]).add(in[2]).tanh(), x, layer.weight().value(),
                layer.bias().value());
        Tensor y = layer.forward(Tensor.parameter(x));
        y.sum().backward();
        // d sum(xW + b)/db = batch size for every output
        assertEquals(5.0, layer.bias().grad().getDouble(0), 1e-12);
    }

    @Test
    void namesAreHierarchicalAndStable() {
        Rng rng = new Rng(1);
        Sequential net = new Sequential(new Linear(4, 3, rng), Sequential.lambda(Tensor::relu), new Linear(3, 2, rng));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(net.namedParameters().keySet()));
        assertEquals(4 * 3 + 3 + 3 * 2 + 2, net.parameterCount());
    }

    @Test
    void wrongInputWidthIsExplained() {
        Linear layer = new Linear(4, 2, new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(DataType.FLOAT, 3, 5)));
        assertTrue(e.getMessage().contains("4") && e.getMessage().contains("[3, 5]"), e.getMessage());
    }
}
