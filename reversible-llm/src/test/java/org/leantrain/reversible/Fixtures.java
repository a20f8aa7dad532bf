package org.leantrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Test branches with known increments, small models and an elementwise comparison with a stated gate. */
final class Fixtures {
    private Fixtures() {}

    /** f(p) = ε·tanh(p·W1 + b1)·W2 as the attention branch, 𝓜 = 0: a random smooth increment. */
    static final class TanhMlp extends Branches {
        private final Tensor w1;
        private final Tensor b1;
        private final Tensor w2;
        private final double scale;

        TanhMlp(int dim, double scale, DataType type, Rng rng) {
            this.w1 = parameter("w1", Tensor.parameter(rng.normal(type, 0, 1 / Math.sqrt(dim), dim, 2L * dim)));
            this.b1 = parameter("b1", Tensor.parameter(rng.normal(type, 0, 0.5, 2L * dim)));
            this.w2 = parameter("w2", Tensor.parameter(rng.normal(type, 0, 1 / Math.sqrt(2.0 * dim), 2L * dim, dim)));
            this.scale = scale;
        }

        @Override
        public Tensor attn(Tensor p) {
            return p.matmul(w1).add(b1).tanh().matmul(w2).mul(scale);
        }

        @Override
        public Tensor mlp(Tensor p) {
            return p.mul(0);
        }
    }

    /** f(p) ≡ c (through the attention branch); 𝓜 = 0. */
    static final class Constant extends Branches {
        private final double c;

        Constant(double c) {
            this.c = c;
        }

        @Override
        public Tensor attn(Tensor p) {
            return p.mul(0).add(c);
        }

        @Override
        public Tensor mlp(Tensor p) {
            return p.mul(0);
        }
    }

    /** f(p) = λ·p. */
    static final class Linear extends Branches {
        private final double lambda;

        Linear(double lambda) {
            this.lambda = lambda;
        }

        @Override
        public Tensor attn(Tensor p) {
            return p.mul(lambda);
        }

        @Override
        public Tensor mlp(Tensor p) {
            return p.mul(0);
        }
    }

    static List<Branches> repeat(Branches b, int layers) {
        List<Branches> list = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            list.add(b);
        }
        return list;
    }

    /** The rules under test, the stochastic one drawn for {@code layers} layers. */
    static List<ReversibleRule> rules(int layers, long seed) {
        return List.of(new ReversibleRule.Midpoint(0.5), new ReversibleRule.Leapfrog(1),
                ReversibleRule.StochasticMidpoint.sample(layers, 1, new Rng(seed)), new ReversibleRule.Hamiltonian());
    }

    static LmShape tinyShape(int layers, int maxLength) {
        return new LmShape(11, 16, 2, layers, maxLength, 0);
    }

    static int[][] randomIds(int batch, int t, int vocab, Rng rng) {
        int[][] ids = new int[batch][t];
        for (int[] row : ids) {
            for (int i = 0; i < t; i++) {
                row[i] = rng.nextInt(vocab);
            }
        }
        return ids;
    }

    static INDArray normal(DataType type, long seed, long... shape) {
        return new Rng(seed).normal(type, 0, 1, shape);
    }

    /** |actual − expected| ≤ atol + rtol·|expected| elementwise. */
    static void assertClose(String what, INDArray expected, INDArray actual, double atol, double rtol) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": shapes " + java.util.Arrays.toString(expected.shape()) + " vs "
                    + java.util.Arrays.toString(actual.shape()));
        }
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < e.length; i++) {
            double tol = atol + rtol * Math.abs(e[i]);
            if (!(Math.abs(a[i] - e[i]) <= tol)) {
                fail(String.format("%s: element %d is %.12g, expected %.12g (tolerance %.3g)", what, i, a[i], e[i], tol));
            }
        }
    }

    static void assertSameGradients(Map<String, Tensor> expected, Map<String, Tensor> actual, double atol,
                                    double rtol) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            INDArray g = expected.get(name).grad();
            INDArray h = actual.get(name).grad();
            if (g == null) {
                g = Nd4j.zeros(expected.get(name).dataType(), expected.get(name).shape());
            }
            if (h == null) {
                fail("no gradient for " + name);
            }
            assertClose("gradient of " + name, g, h, atol, rtol);
        }
    }
}
