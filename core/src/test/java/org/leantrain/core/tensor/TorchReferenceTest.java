package org.leantrain.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Values and gradients against PyTorch 1.13 (float64), stored in {@code reference/torch_reference.txt} by
 * {@code reference/make_reference.py} beside it. An independent implementation, so forward conventions (GELU,
 * pooling divisors, conv layout) are checked too, not only backward-vs-forward consistency.
 */
class TorchReferenceTest {
    private static final double TOL = 1e-10;
    private static Map<String, INDArray> ref;

    @BeforeAll
    static void load() throws IOException {
        ref = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                TorchReferenceTest.class.getResourceAsStream("/reference/torch_reference.txt"),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split("\\|");
                long[] shape = parts[1].isEmpty() ? new long[0]
                        : Arrays.stream(parts[1].split(",")).mapToLong(Long::parseLong).toArray();
                double[] values = Arrays.stream(parts[2].trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
                ref.put(parts[0], Nd4j.create(values, shape, DataType.DOUBLE));
            }
        }
    }

    private static Tensor param(String name) {
        return Tensor.parameter(ref.get(name).dup());
    }

    private static void assertClose(String name, INDArray actual) {
        INDArray expected = ref.get(name);
        assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
        double diff = expected.sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        assertEquals(0, diff / scale, TOL, name + " differs from PyTorch by " + diff);
    }

    @Test
    void denseGraphMatchesTorch() {
        Tensor x = param("dense.x");
        Tensor w = param("dense.w");
        Tensor b = param("dense.b");
        int[] labels = Arrays.stream(ref.get("dense.labels").toDoubleVector()).mapToInt(v -> (int) v).toArray();
        Tensor z = x.matmul(w).add(b);
        Tensor h = z.tanh();
        Tensor s = h.softmax(1).mul(h.gelu()).add(h.sigmoid().mul(h.silu())).sub(h.softplus());
        Tensor loss = s.logSumExp(1, false).mean()
                .add(Losses.crossEntropy(x.matmul(w), labels))
                .add(x.abs().add(1).log().sum().mul(0.1))
                .add(h.leakyRelu(0.1).pow(2).mean())
                .add(h.exp().sqrt().max(false, 1).sum())
                .add(z.logSoftmax(0).clamp(-3, -0.5).mean());
        assertEquals(ref.get("dense.loss").getDouble(0), loss.item(), TOL);
        loss.backward();
        assertClose("dense.grad_x", x.grad());
        assertClose("dense.grad_w", w.grad());
        assertClose("dense.grad_b", b.grad());
    }

    @Test
    void convolutionAndPoolingMatchTorch() {
        Tensor x = param("conv.x");
        Tensor w = param("conv.w");
        Tensor b = param("conv.b");
        Tensor conv = Conv.conv2d(x, w, b, 1, 1);
        assertClose("conv.conv", conv.value());
        Tensor avg = Conv.avgPool2d(Conv.maxPool2d(conv, 2, 2, 0), 3, 1, 1);
        assertClose("conv.avg", avg.value());
        avg.mul(Tensor.of(ref.get("conv.r"))).sum().backward();
        assertClose("conv.grad_x", x.grad());
        assertClose("conv.grad_w", w.grad());
        assertClose("conv.grad_b", b.grad());
    }

    @Test
    void attentionStyleGraphMatchesTorch() {
        Tensor q = param("attn.q");
        Tensor k = param("attn.k");
        Tensor scores = q.matmul(k.transpose()).div(2.0);
        Tensor att = scores.maskedFill(ref.get("attn.mask"), Double.NEGATIVE_INFINITY).softmax(-1);
        assertClose("attn.att", att.value());
        Tensor mixed = att.matmul(k);
        Tensor sel = Tensor.concat(0, mixed.reshape(6, 4), q.reshape(6, 4)).indexSelect(2, 0, 2);
        Tensor weights = Tensor.of(Nd4j.arange(12).castTo(DataType.DOUBLE).reshape(3, 4));
        Tensor out = sel.mul(weights).sum();
        assertEquals(ref.get("attn.out").getDouble(0), out.item(), TOL);
        out.backward();
        assertClose("attn.grad_q", q.grad());
        assertClose("attn.grad_k", k.grad());
    }
}
