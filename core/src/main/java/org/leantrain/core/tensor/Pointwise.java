package org.leantrain.core.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.Pow;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Elementwise ops and their backward. Binary ops broadcast (numpy rules); gradients are reduced by the engine. */
final class Pointwise {
    private Pointwise() {}

    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    static Tensor add(Tensor a, Tensor b) {
        Tape.sameType("add", a, b);
        return Tape.record("add", Nd.add(a.value(), b.value()), new Tensor[] {a, b}, null,
                (g, needs) -> new INDArray[] {g, g});
    }

    static Tensor sub(Tensor a, Tensor b) {
        Tape.sameType("sub", a, b);
        return Tape.record("sub", Nd.sub(a.value(), b.value()), new Tensor[] {a, b}, null,
                (g, needs) -> new INDArray[] {g, needs[1] ? scale(g, -1) : null});
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tape.sameType("mul", a, b);
        INDArray x = a.value();
        INDArray y = b.value();
        // each side keeps only what the other side's gradient needs
        INDArray keepY = a.requiresGrad() ? y : null;
        INDArray keepX = b.requiresGrad() ? x : null;
        return Tape.record("mul", Nd.mul(x, y), new Tensor[] {a, b}, Tape.saved(keepX, keepY),
                (g, needs) -> new INDArray[] {needs[0] ? Nd.mul(g, keepY) : null, needs[1] ? Nd.mul(g, keepX) : null});
    }

    static Tensor div(Tensor a, Tensor b) {
        Tape.sameType("div", a, b);
        INDArray y = b.value();
        INDArray out = Nd.div(a.value(), y);
        INDArray keepOut = b.requiresGrad() ? out : null;
        return Tape.record("div", out, new Tensor[] {a, b}, Tape.saved(y, keepOut), (g, needs) -> {
            INDArray ga = needs[0] || needs[1] ? Nd.div(g, y) : null;
            // d(a/b)/db = -(a/b)/b
            INDArray gb = needs[1] ? Nd.mul(ga, keepOut).negi() : null;
            return new INDArray[] {needs[0] ? ga : null, gb};
        });
    }

    static Tensor addScalar(Tensor a, double c) {
        INDArray x = a.value();
        INDArray out = Nd.exec(new ScalarAdd(x, null, Nd.empty(x.dataType(), x.shape()), c));
        return Tape.record("addScalar", out, new Tensor[] {a}, null, (g, needs) -> new INDArray[] {g});
    }

    static Tensor mulScalar(Tensor a, double c) {
        return Tape.record("mulScalar", scale(a.value(), c), new Tensor[] {a}, null,
                (g, needs) -> new INDArray[] {scale(g, c)});
    }

    static Tensor pow(Tensor a, double p) {
        INDArray x = a.value();
        INDArray out = Nd.transform(x, (in, z) -> new Pow(in, z, p));
        return Tape.record("pow", out, new Tensor[] {a}, Tape.saved(x), (g, needs) -> {
            INDArray d = Nd.transform(x, (in, z) -> new Pow(in, z, p - 1)).muli(p);
            return new INDArray[] {d.muli(g)};
        });
    }

    static Tensor exp(Tensor a) {
        INDArray out = Nd.transform(a.value(), Exp::new);
        return Tape.record("exp", out, new Tensor[] {a}, Tape.saved(out), (g, needs) -> new INDArray[] {Nd.mul(g, out)});
    }

    static Tensor log(Tensor a) {
        INDArray x = a.value();
        return Tape.record("log", Nd.transform(x, Log::new), new Tensor[] {a}, Tape.saved(x),
                (g, needs) -> new INDArray[] {Nd.div(g, x)});
    }

    static Tensor sqrt(Tensor a) {
        INDArray out = Nd.transform(a.value(), Sqrt::new);
        return Tape.record("sqrt", out, new Tensor[] {a}, Tape.saved(out),
                (g, needs) -> new INDArray[] {Nd.div(g, out).muli(0.5)});
    }

    static Tensor abs(Tensor a) {
        INDArray x = a.value();
        return Tape.record("abs", Nd.transform(x, Abs::new), new Tensor[] {a}, Tape.saved(x),
                (g, needs) -> new INDArray[] {Nd.transform(x, Sign::new).muli(g)});
    }

    static Tensor clamp(Tensor a, double min, double max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("clamp: min " + min + " must not exceed max " + max);
        }
        INDArray x = a.value();
        INDArray out = Transforms.min(Transforms.max(x, min, true), max, false);
        // gradient passes where min <= x <= max (inclusive, as PyTorch)
        INDArray inside = x.gte(min).castTo(x.dataType()).muli(x.lte(max).castTo(x.dataType()));
        return Tape.record("clamp", out, new Tensor[] {a}, Tape.saved(inside),
                (g, needs) -> new INDArray[] {Nd.mul(g, inside)});
    }

    static Tensor tanh(Tensor a) {
        INDArray out = Nd.transform(a.value(), Tanh::new);
        return Tape.record("tanh", out, new Tensor[] {a}, Tape.saved(out),
                (g, needs) -> new INDArray[] {Nd.mul(out, out).rsubi(1).muli(g)});
    }

    static Tensor sigmoid(Tensor a) {
        INDArray out = Nd.transform(a.value(), Sigmoid::new);
        return Tape.record("sigmoid", out, new Tensor[] {a}, Tape.saved(out),
                (g, needs) -> new INDArray[] {out.rsub(1).muli(out).muli(g)});
    }

    static Tensor relu(Tensor a) {
        INDArray out = Nd.transform(a.value(), (x, z) -> new RectifiedLinear(x, z, 0.0));
        return Tape.record("relu", out, new Tensor[] {a}, Tape.saved(out), (g, needs) -> {
            // libnd4j's fused relu_bp: g where out > 0 (equivalently x > 0), else 0, in one pass
            INDArray grad = Nd.empty(g.dataType(), g.shape());
            Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(out, g).addFloatingPointArguments(0.0)
                    .addOutputs(grad).build());
            return new INDArray[] {grad};
        });
    }

    static Tensor leakyRelu(Tensor a, double slope) {
        INDArray x = a.value();
        INDArray out = Nd.transform(x, (in, z) -> new LeakyReLU(in, z, slope));
        return Tape.record("leakyRelu", out, new Tensor[] {a}, Tape.saved(x), (g, needs) -> {
            INDArray d = Nd.transform(x, Step::new).muli(1 - slope).addi(slope); // 1 where x > 0, slope elsewhere
            return new INDArray[] {d.muli(g)};
        });
    }

    static Tensor silu(Tensor a) {
        INDArray x = a.value();
        INDArray s = Nd.transform(x, Sigmoid::new);
        return Tape.record("silu", Nd.mul(x, s), new Tensor[] {a}, Tape.saved(x), (g, needs) -> {
            INDArray sig = Nd.transform(x, Sigmoid::new);
            // d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x)))
            INDArray d = sig.rsub(1).muli(x).addi(1).muli(sig);
            return new INDArray[] {d.muli(g)};
        });
    }

    /** Exact GELU, x·Φ(x) (PyTorch's default), not the tanh or sigmoid approximations. */
    static Tensor gelu(Tensor a) {
        INDArray x = a.value();
        INDArray phi = normalCdf(x);
        return Tape.record("gelu", Nd.mul(x, phi), new Tensor[] {a}, Tape.saved(x), (g, needs) -> {
            // d/dx x·Φ(x) = Φ(x) + x·φ(x)
            INDArray density = Nd.mul(x, x).muli(-0.5);
            density = Nd.transform(density, Exp::new).muli(INV_SQRT_2PI).muli(x);
            return new INDArray[] {density.addi(normalCdf(x)).muli(g)};
        });
    }

    private static INDArray normalCdf(INDArray x) {
        return Nd.transform(scale(x, INV_SQRT_2), Erf::new).addi(1).muli(0.5);
    }

    /** Numerically stable softplus, max(x, 0) + log(1 + exp(−|x|)). */
    static Tensor softplus(Tensor a) {
        INDArray x = a.value();
        INDArray negAbs = Nd.transform(x, Abs::new).negi();
        INDArray out = Nd.transform(negAbs, Exp::new).addi(1);
        out = Nd.transform(out, Log::new).addi(Nd.transform(x, (in, z) -> new RectifiedLinear(in, z, 0.0)));
        return Tape.record("softplus", out, new Tensor[] {a}, Tape.saved(x),
                (g, needs) -> new INDArray[] {Nd.transform(x, Sigmoid::new).muli(g)});
    }

    static INDArray scale(INDArray x, double c) {
        return Nd.exec(new ScalarMultiplication(x, null, Nd.empty(x.dataType(), x.shape()), c));
    }
}
