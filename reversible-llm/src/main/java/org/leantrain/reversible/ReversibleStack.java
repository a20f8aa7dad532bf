package org.leantrain.reversible;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Nd;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * L layers integrated by a reversible rule (spec §2): from the embedding e it builds the boundary states, runs the
 * layers and returns the last state p_L. In REVERSIBLE memory mode the layers run inside one
 * {@link ReversibleFunction} that keeps only the final state pair (and the exact pair every k layers when
 * checkpointing) and reconstructs the rest in backward; in STORED mode the same recurrence runs through ordinary
 * autograd.
 *
 * <p>Layer l's increment is f_l(p) — or, for a model converted with {@link ConversionMode#TWO_BLOCK},
 * g_l = f_{l−1}(p) + f_l(p) with f_{−1} = 0.
 */
public final class ReversibleStack extends Module {
    private final List<Branches> blocks;
    private final ReversibleConfig config;
    private final Branches bootstrap;
    private final boolean twoBlockIncrements;

    public ReversibleStack(List<? extends Branches> blocks, ReversibleConfig config) {
        this(blocks, config, null, false);
    }

    /**
     * @param bootstrap          the extra block of the EULER_BOOTSTRAP boundary (null otherwise)
     * @param twoBlockIncrements layer l adds f_{l−1} + f_l (TWO_BLOCK conversion)
     */
    public ReversibleStack(List<? extends Branches> blocks, ReversibleConfig config, Branches bootstrap,
                           boolean twoBlockIncrements) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("a reversible stack needs L >= 1 layers, got 0");
        }
        if (config.rule() instanceof ReversibleRule.StochasticMidpoint s && s.a().length != blocks.size()) {
            throw new IllegalArgumentException("StochasticMidpoint has " + s.a().length + " coefficients a_l for "
                    + blocks.size() + " layers");
        }
        if ((config.boundary() == Boundary.EULER_BOOTSTRAP) != (bootstrap != null)) {
            throw new IllegalArgumentException("the EULER_BOOTSTRAP boundary needs exactly one bootstrap block,"
                    + " other boundaries none; boundary " + config.boundary() + ", bootstrap "
                    + (bootstrap == null ? "absent" : "given"));
        }
        if (twoBlockIncrements && config.rule() instanceof ReversibleRule.Hamiltonian) {
            throw new IllegalArgumentException("TWO_BLOCK increments are defined for the two-step rules only");
        }
        this.blocks = List.copyOf(blocks);
        this.config = config;
        this.bootstrap = bootstrap == null ? null : child("bootstrap", bootstrap);
        this.twoBlockIncrements = twoBlockIncrements;
        for (int l = 0; l < this.blocks.size(); l++) {
            child("block" + l, this.blocks.get(l));
        }
    }

    public ReversibleConfig config() {
        return config;
    }

    public int depth() {
        return blocks.size();
    }

    public List<Branches> blocks() {
        return blocks;
    }

    boolean isHamiltonian() {
        return config.rule() instanceof ReversibleRule.Hamiltonian;
    }

    /** p_L (HAMILTONIAN: the p stream) for the embedding e [B, T, d]. */
    @Override
    protected Tensor compute(Tensor e) {
        return forwardPair(e)[1];
    }

    /** The final state pair (p_{L−1}, p_L); HAMILTONIAN (q_L, p_L). */
    public Tensor[] forwardPair(Tensor e) {
        Tensor[] boundary = boundary(e);
        for (Tensor b : boundary) {
            if (!Nd.isFinite(b.value())) {
                throw new ArithmeticException("the boundary state (embedding, before layer 0) is not finite");
            }
        }
        Tensor[] out;
        if (config.memory() == MemoryMode.STORED) {
            out = storedForward(boundary);
        } else {
            List<Tensor> parameters = trainableBlockParameters();
            List<Tensor> inputs = new ArrayList<>(List.of(boundary));
            inputs.addAll(parameters);
            out = new ReversibleFunction(this, parameters).apply(inputs.toArray(new Tensor[0]));
        }
        if (!Nd.isFinite(out[0].value()) || !Nd.isFinite(out[1].value())) {
            int layer = firstNonFiniteLayer(boundary);
            throw new ArithmeticException("state p_" + (layer + 1) + " (after layer " + layer + ") is the first"
                    + " non-finite state; lower the learning rate or the step size h, or check the inputs");
        }
        return out;
    }

    /** (p_{−1}, p_0), or (q_0, p_0) for HAMILTONIAN; ordinary autograd (the bootstrap block is stored). */
    Tensor[] boundary(Tensor e) {
        return switch (config.boundary()) {
            case DUPLICATE -> new Tensor[] {e, e};
            case EULER_BOOTSTRAP -> new Tensor[] {e, e.add(bootstrap.f(e))};
            case FIXED_POINT -> new Tensor[] {e.sub(increment(0, e)), e};
        };
    }

    /** Layer l's increment: f_l(p), or f_{l−1}(p) + f_l(p) for TWO_BLOCK. */
    Tensor increment(int l, Tensor p) {
        Tensor f = blocks.get(l).f(p);
        return twoBlockIncrements && l > 0 ? blocks.get(l - 1).f(p).add(f) : f;
    }

    /** The blocks whose parameters layer l's increment uses. */
    List<Branches> blocksOfLayer(int l) {
        return twoBlockIncrements && l > 0 ? List.of(blocks.get(l - 1), blocks.get(l)) : List.of(blocks.get(l));
    }

    private List<Tensor> trainableBlockParameters() {
        List<Tensor> params = new ArrayList<>();
        for (Branches b : blocks) {
            params.addAll(b.trainableParameters());
        }
        return params;
    }

    /** The same recurrence through ordinary autograd: every layer's activations are kept (the exactness control). */
    private Tensor[] storedForward(Tensor[] boundary) {
        Tensor prev = boundary[0];
        Tensor cur = boundary[1];
        for (int l = 0; l < blocks.size(); l++) {
            if (isHamiltonian()) {
                Tensor q = prev.add(blocks.get(l).attn(cur)); // q_{l+1} = q_l + 𝒜_l(p_l)
                cur = cur.add(blocks.get(l).mlp(q)); //          p_{l+1} = p_l + 𝓜_l(q_{l+1})
                prev = q;
            } else {
                ReversibleRule.Coeffs k = config.rule().coeffs(l);
                Tensor next = scaled(k.a(), prev).add(scaled(k.c(), increment(l, cur)));
                if (k.b() != 0) {
                    next = next.add(scaled(k.b(), cur));
                }
                prev = cur;
                cur = next;
            }
        }
        return new Tensor[] {prev, cur};
    }

    private static Tensor scaled(double s, Tensor x) {
        return s == 1 ? x : x.mul(s);
    }

    /** Re-runs the forward without recording to find the first layer whose output is not finite. */
    private int firstNonFiniteLayer(Tensor[] boundary) {
        StateWalk walk = new StateWalk(this, boundary[0].dataType());
        INDArray[] pair = walk.start(boundary[0].value(), boundary[1].value());
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int l = 0; l < blocks.size(); l++) {
                try {
                    pair = walk.step(l, pair);
                } catch (ArithmeticException overflow) {
                    return l;
                }
                if (!Nd.isFinite(walk.value(pair[1])) || !Nd.isFinite(walk.value(pair[0]))) {
                    return l;
                }
            }
        }
        return blocks.size() - 1;
    }
}
