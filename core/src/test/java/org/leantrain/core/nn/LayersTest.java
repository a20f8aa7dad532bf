package org.leantrain.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.GradCheck;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.tensor.TorchReference;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every layer gradient-checked in float64 (inputs and parameters); LSTM cell and attention also against PyTorch. */
class LayersTest {
    private static final DataType F64 = DataType.DOUBLE;
    private final Rng rng = new Rng(21);
    private final GradCheck check = GradCheck.standard();

    private INDArray randn(long... shape) {
        return rng.normal(F64, 0, 1, shape);
    }

    /** d/d(input) and d/d(parameters) of sum(module(x) ⊙ r). */
    private void checkModule(Module m, INDArray x) {
        Tensor input = Tensor.parameter(x);
        INDArray r = randn(m.forward(Tensor.of(x)).shape());
        java.util.List<Tensor> all = new java.util.ArrayList<>(m.parameters());
        all.add(input);
        check.checkParameters(() -> m.forward(input).mul(Tensor.of(r)).sum(), all);
    }

    @Test
    void linearConvLayerNorm() {
        checkModule(new Linear(3, 4, true, F64, rng), randn(2, 3));
        checkModule(new Linear(3, 4, true, F64, rng), randn(2, 5, 3));
        checkModule(new Conv2d(2, 3, 3, 1, 1, F64, rng), randn(2, 2, 4, 4));
        LayerNorm norm = new LayerNorm(5, F64);
        norm.parameters().forEach(p -> p.value().addi(randn(p.shape()).muli(0.1)));
        checkModule(norm, randn(3, 5));
        checkModule(norm, randn(2, 3, 5));
    }

    @Test
    void layerNormNormalises() {
        Tensor y = new LayerNorm(6, F64).forward(Tensor.of(randn(4, 6).muli(3).addi(2)));
        assertEquals(0, y.value().mean(1).amaxNumber().doubleValue(), 1e-12);
        assertEquals(1, y.value().var(false, 1).getDouble(0), 1e-4); // eps 1e-5 shrinks it slightly
    }

    @Test
    void recurrentAndAttention() {
        checkModule(new LstmCell(3, 4, F64, rng), randn(2, 3));
        checkModule(new Lstm(3, 2, F64, rng), randn(2, 3, 3));
        checkModule(new MultiHeadSelfAttention(4, 2, true, F64, rng), randn(2, 3, 4));
        checkModule(new MultiHeadSelfAttention(4, 1, false, F64, rng), randn(1, 3, 4));
        checkModule(new TransformerBlock(4, 2, 8, true, 0.0, F64, rng), randn(2, 3, 4));
    }

    @Test
    void embeddingAndLanguageModelLogProbs() {
        Embedding emb = new Embedding(5, 3, F64, rng);
        check.checkParameters(() -> emb.lookup(new int[][] {{1, 4, 1}, {0, 2, 2}}).square().sum(), emb.parameters());
        CausalLm lm = new CausalLm(new CausalLm.Config(6, 4, 2, 1, 5, 0.0), F64, rng);
        int[][] seqs = {{1, 2, 3, 0}, {5, 5, 4, 1}};
        check.checkParameters(() -> lm.tokenLogProbs(seqs).sum(), lm.parameters());
    }

    @Test
    void lstmCellMatchesTorch() {
        LstmCell cell = new LstmCell(4, 5, F64, rng);
        cell.inputWeight().value().assign(TorchReference.get("lstm.w_ih"));
        cell.hiddenWeight().value().assign(TorchReference.get("lstm.w_hh"));
        cell.bias().value().assign(TorchReference.get("lstm.bias"));
        Tensor x = Tensor.parameter(TorchReference.get("lstm.x"));
        Tensor h0 = Tensor.parameter(TorchReference.get("lstm.h0"));
        Tensor c0 = Tensor.parameter(TorchReference.get("lstm.c0"));
        LstmCell.State next = cell.step(x, new LstmCell.State(h0, c0));
        TorchReference.assertClose("lstm.h1", next.h().value());
        TorchReference.assertClose("lstm.c1", next.c().value());
        next.h().mul(Tensor.of(TorchReference.get("lstm.r1"))).sum()
                .add(next.c().mul(Tensor.of(TorchReference.get("lstm.r2"))).sum()).backward();
        TorchReference.assertClose("lstm.grad_x", x.grad());
        TorchReference.assertClose("lstm.grad_h0", h0.grad());
        TorchReference.assertClose("lstm.grad_c0", c0.grad());
        TorchReference.assertClose("lstm.grad_w_ih", cell.inputWeight().grad());
        TorchReference.assertClose("lstm.grad_w_hh", cell.hiddenWeight().grad());
        TorchReference.assertClose("lstm.grad_bias", cell.bias().grad());
    }

    @Test
    void causalAttentionMatchesTorch() {
        MultiHeadSelfAttention mha = new MultiHeadSelfAttention(4, 2, true, F64, rng);
        mha.qkv().weight().value().assign(TorchReference.get("mha.w_qkv"));
        mha.qkv().bias().value().assign(TorchReference.get("mha.b_qkv"));
        mha.out().weight().value().assign(TorchReference.get("mha.w_out"));
        mha.out().bias().value().assign(TorchReference.get("mha.b_out"));
        Tensor x = Tensor.parameter(TorchReference.get("mha.x"));
        Tensor out = mha.forward(x);
        TorchReference.assertClose("mha.out", out.value());
        out.mul(Tensor.of(TorchReference.get("mha.r"))).sum().backward();
        TorchReference.assertClose("mha.grad_x", x.grad());
        TorchReference.assertClose("mha.grad_w_qkv", mha.qkv().weight().grad());
        TorchReference.assertClose("mha.grad_b_qkv", mha.qkv().bias().grad());
        TorchReference.assertClose("mha.grad_w_out", mha.out().weight().grad());
        TorchReference.assertClose("mha.grad_b_out", mha.out().bias().grad());
    }

    @Test
    void causalMaskHidesTheFuture() {
        MultiHeadSelfAttention mha = new MultiHeadSelfAttention(4, 2, true, F64, rng);
        INDArray x = randn(1, 4, 4);
        INDArray changed = x.dup();
        changed.putScalar(new long[] {0, 3, 0}, 100.0); // only the last position changes
        INDArray a = mha.forward(Tensor.of(x)).value();
        INDArray b = mha.forward(Tensor.of(changed)).value();
        for (int t = 0; t < 3; t++) {
            assertEquals(0, a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(t), org.nd4j.linalg.indexing.NDArrayIndex.all())
                    .sub(b.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(t),
                            org.nd4j.linalg.indexing.NDArrayIndex.all())).amaxNumber().doubleValue(), 1e-12);
        }
    }

    @Test
    void dropoutIsSeededAndIdentityInEval() {
        Dropout a = new Dropout(0.5, new Rng(3));
        Dropout b = new Dropout(0.5, new Rng(3));
        Tensor x = Tensor.of(org.nd4j.linalg.factory.Nd4j.ones(F64, 100, 100));
        INDArray ya = a.forward(x).value();
        assertEquals(ya, b.forward(x).value());
        assertEquals(1.0, ya.meanNumber().doubleValue(), 0.03); // inverted scaling keeps the mean
        a.eval();
        assertEquals(x.value(), a.forward(x).value());
        assertEquals(x.value(), new Dropout(0.0, new Rng(1)).forward(x).value());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0, new Rng(1)));
    }

    @Test
    void logProbsAgreeWithTheTrainingLoss() {
        CausalLm lm = new CausalLm(new CausalLm.Config(7, 8, 2, 2, 6, 0.0), F64, rng);
        int[][] seqs = {{1, 2, 3, 4, 5}, {6, 0, 6, 0, 1}};
        int[][] inputs = {{1, 2, 3, 4}, {6, 0, 6, 0}};
        int[][] targets = {{2, 3, 4, 5}, {0, 6, 0, 1}};
        double meanLogProb = lm.tokenLogProbs(seqs).mean().item();
        assertEquals(-meanLogProb, lm.loss(inputs, targets).item(), 1e-12);
    }

    @Test
    void samplingIsSeededAndTopOneIsGreedy() {
        CausalLm lm = new CausalLm(new CausalLm.Config(7, 8, 2, 1, 6, 0.0), F64, rng);
        int[] s1 = lm.sample(new int[] {1, 2}, 8, 1.0, 0, new Rng(5));
        int[] s2 = lm.sample(new int[] {1, 2}, 8, 1.0, 0, new Rng(5));
        assertArrayEquals(s1, s2);
        assertEquals(10, s1.length);
        int[] greedy = lm.sample(new int[] {3}, 1, 1.0, 1, new Rng(9));
        double[] last = lm.logits(new int[][] {{3}}).value().reshape(7).toDoubleVector();
        int argmax = 0;
        for (int i = 1; i < last.length; i++) {
            argmax = last[i] > last[argmax] ? i : argmax;
        }
        assertEquals(argmax, greedy[1]);
    }

    @Test
    void samplingProbabilitiesWithTemperatureAndTopK() {
        double[] p = Sampling.probabilities(new double[] {0, Math.log(2), Math.log(4), -10}, 1.0, 3);
        assertArrayEquals(new double[] {1 / 7.0, 2 / 7.0, 4 / 7.0, 0}, p, 1e-12);
        double[] hot = Sampling.probabilities(new double[] {0, Math.log(2)}, 0.5, 0); // temperature ½ squares ratios
        assertArrayEquals(new double[] {0.2, 0.8}, hot, 1e-12);
        assertNotEquals(0, Sampling.sample(new double[] {-50, 0}, 1.0, 0, new Rng(1)));
    }
}
