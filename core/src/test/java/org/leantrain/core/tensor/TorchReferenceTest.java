package org.leantrain.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
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
    private static final double TOL = TorchReference.TOL;

    private static Tensor param(String name) {
        return Tensor.parameter(TorchReference.get(name));
    }

    private static INDArray ref(String name) {
        return TorchReference.get(name);
    }

    private static void assertClose(String name, INDArray actual) {
        TorchReference.assertClose(name, actual);
    }

    @Test
    void denseGraphMatchesTorch() {
        Tensor x = param("dense.x");
        Tensor w = param("dense.w");
        Tensor b = param("dense.b");
        int[] labels = Arrays.stream(ref("dense.labels").toDoubleVector()).mapToInt(v -> (int) v).toArray();
        Tensor z = x.matmul(w).add(b);
        Tensor h = z.tanh();
        Tensor s = h.softmax(1).mul(h.gelu()).add(h.sigmoid().mul(h.silu())).sub(h.softplus());
        Tensor loss = s.logSumExp(1, false).mean()
                .add(Losses.crossEntropy(x.matmul(w), labels))
                .add(x.abs().add(1).log().sum().mul(0.1))
                .add(h.leakyRelu(0.1).pow(2).mean())
                .add(h.exp().sqrt().max(false, 1).sum())
                .add(z.logSoftmax(0).clamp(-3, -0.5).mean());
        assertEquals(ref("dense.loss").getDouble(0), loss.item(), TOL);
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
        avg.mul(Tensor.of(ref("conv.r"))).sum().backward();
        assertClose("conv.grad_x", x.grad());
        assertClose("conv.grad_w", w.grad());
        assertClose("conv.grad_b", b.grad());
    }

    @Test
    void attentionStyleGraphMatchesTorch() {
        Tensor q = param("attn.q");
        Tensor k = param("attn.k");
        Tensor scores = q.matmul(k.transpose()).div(2.0);
        Tensor att = scores.maskedFill(ref("attn.mask"), Double.NEGATIVE_INFINITY).softmax(-1);
        assertClose("attn.att", att.value());
        Tensor mixed = att.matmul(k);
        Tensor sel = Tensor.concat(0, mixed.reshape(6, 4), q.reshape(6, 4)).indexSelect(2, 0, 2);
        Tensor weights = Tensor.of(Nd4j.arange(12).castTo(DataType.DOUBLE).reshape(3, 4));
        Tensor out = sel.mul(weights).sum();
        assertEquals(ref("attn.out").getDouble(0), out.item(), TOL);
        out.backward();
        assertClose("attn.grad_q", q.grad());
        assertClose("attn.grad_k", k.grad());
    }
}
