package org.leantrain.reversible;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.leantrain.core.tensor.Autograd;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer forward or backward on plain state arrays: the shared engine of {@link ReversibleFunction} (training)
 * and {@link ReconstructionProbe} (drift). A pair is (p_{l−1}, p_l) for the two-step rules and (q_l, p_l) for
 * HAMILTONIAN; states are float arrays or fixed-point int64 arrays ({@link StateArithmetic}).
 */
final class StateWalk {
    private final ReversibleStack stack;
    private final StateArithmetic arithmetic;

    StateWalk(ReversibleStack stack, DataType valueType) {
        this.stack = stack;
        ReversibleConfig c = stack.config();
        this.arithmetic = StateArithmetic.of(c.state(), c.fracBits(), valueType);
    }

    INDArray[] start(INDArray first, INDArray second) {
        return new INDArray[] {arithmetic.toState(first), arithmetic.toState(second)};
    }

    INDArray value(INDArray state) {
        return arithmetic.value(state);
    }

    /** Layer l forward without recording: the pair at l becomes the pair at l + 1. */
    INDArray[] step(int l, INDArray[] pair) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            if (stack.isHamiltonian()) {
                Branches block = stack.blocks().get(l);
                INDArray q = arithmetic.combine(1, pair[0], 0, null, 1, block.attn(valueOf(pair[1])).value());
                INDArray p = arithmetic.combine(1, pair[1], 0, null, 1, block.mlp(valueOf(q)).value());
                return new INDArray[] {q, p};
            }
            ReversibleRule.Coeffs k = stack.config().rule().coeffs(l);
            INDArray u = stack.increment(l, valueOf(pair[1])).value();
            return new INDArray[] {pair[1], arithmetic.combine(k.a(), pair[0], k.b(), pair[1], k.c(), u)};
        } catch (ArithmeticException e) {
            throw new ArithmeticException("layer " + l + ": " + e.getMessage());
        }
    }

    /** Layer l inverted without gradients: the pair at l + 1 becomes the pair at l. */
    INDArray[] unstep(int l, INDArray[] pair) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            if (stack.isHamiltonian()) {
                Branches block = stack.blocks().get(l);
                INDArray p = arithmetic.uncombine(pair[1], 1, 0, null, 1, block.mlp(valueOf(pair[0])).value());
                INDArray q = arithmetic.uncombine(pair[0], 1, 0, null, 1, block.attn(valueOf(p)).value());
                return new INDArray[] {q, p};
            }
            ReversibleRule.Coeffs k = stack.config().rule().coeffs(l);
            INDArray u = stack.increment(l, valueOf(pair[0])).value();
            return new INDArray[] {arithmetic.uncombine(pair[1], k.a(), k.b(), pair[0], k.c(), u), pair[0]};
        }
    }

    /**
     * Layer l of the adjoint recursion (spec §2): recompute the layer once with recording on, use its value to
     * reconstruct the earlier pair and its graph for the vector–Jacobian product, then drop the graph.
     * {@code adjoints} are the gradients of the pair at l + 1 and are replaced by those of the pair at l;
     * parameter gradients are added into {@code parameterGrads}. Returns the pair at l.
     */
    INDArray[] unstepWithGradient(int l, INDArray[] pair, INDArray[] adjoints, Map<Tensor, INDArray> parameterGrads) {
        if (stack.isHamiltonian()) {
            Branches block = stack.blocks().get(l);
            // p_l = p_{l+1} − 𝓜_l(q_{l+1});  ḡq_{l+1} += J_𝓜ᵀ ḡp_{l+1}
            Tensor q = valueOf(pair[0]).requireGrad(true);
            Tensor m = recorded(() -> block.mlp(q));
            INDArray p = arithmetic.uncombine(pair[1], 1, 0, null, 1, m.value());
            adjoints[0] = adjoints[0].add(vjp(m, adjoints[1], q, List.of(block), parameterGrads));
            // q_l = q_{l+1} − 𝒜_l(p_l);  ḡp_l = ḡp_{l+1} + J_𝒜ᵀ ḡq_{l+1}
            Tensor pt = Tensor.of(value(p)).requireGrad(true);
            Tensor a = recorded(() -> block.attn(pt));
            INDArray qPrev = arithmetic.uncombine(pair[0], 1, 0, null, 1, a.value());
            adjoints[1] = adjoints[1].add(vjp(a, adjoints[0], pt, List.of(block), parameterGrads));
            return new INDArray[] {qPrev, p};
        }
        ReversibleRule.Coeffs k = stack.config().rule().coeffs(l);
        Tensor p = valueOf(pair[0]).requireGrad(true);
        Tensor u = recorded(() -> stack.increment(l, p));
        INDArray before = arithmetic.uncombine(pair[1], k.a(), k.b(), pair[0], k.c(), u.value());
        INDArray gNext = adjoints[1];
        INDArray jt = vjp(u, gNext.mul(k.c()), p, stack.blocksOfLayer(l), parameterGrads);
        // ḡ_l ← ḡ_l + B·ḡ_{l+1} + J_lᵀ(C·ḡ_{l+1});  ḡ_{l−1} = A·ḡ_{l+1}
        INDArray gCur = adjoints[0].add(jt);
        if (k.b() != 0) {
            gCur.addi(gNext.mul(k.b()));
        }
        adjoints[0] = gNext.mul(k.a());
        adjoints[1] = gCur;
        return new INDArray[] {before, pair[0]};
    }

    private Tensor valueOf(INDArray state) {
        return Tensor.of(arithmetic.value(state));
    }

    private static Tensor recorded(java.util.function.Supplier<Tensor> body) {
        try (GradMode.Scope ignored = GradMode.enableGrad()) {
            return body.get();
        }
    }

    /** Jᵀ·seed with respect to the input state, adding the blocks' parameter gradients into {@code sink}. */
    private static INDArray vjp(Tensor out, INDArray seed, Tensor input, List<Branches> blocks,
                                Map<Tensor, INDArray> sink) {
        List<Tensor> wrt = new ArrayList<>();
        wrt.add(input);
        for (Branches b : blocks) {
            wrt.addAll(b.trainableParameters());
        }
        INDArray[] g = Autograd.grad(new Tensor[] {out}, new INDArray[] {seed}, wrt.toArray(new Tensor[0]));
        for (int i = 1; i < g.length; i++) {
            sink.merge(wrt.get(i), g[i], INDArray::addi);
        }
        return g[0];
    }

    static Map<Tensor, INDArray> newGradientSink() {
        return new IdentityHashMap<>();
    }
}
