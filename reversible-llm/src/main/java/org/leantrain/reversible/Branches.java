package org.leantrain.reversible;

import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.Tensor;

/**
 * One layer's residual increment split into its two branches (spec §2): f(p) = 𝒜(p) + 𝓜(p + 𝒜(p)), computed
 * directly as this sum and never as Block(p) − p, which cancels catastrophically. Used as a module, it is the
 * standard forward-Euler block p + f(p).
 */
public abstract class Branches extends Module {

    /** The attention branch 𝒜(p) = Attn(LN1(p)). */
    public abstract Tensor attn(Tensor p);

    /** The MLP branch 𝓜(p) = MLP(LN2(p)). */
    public abstract Tensor mlp(Tensor p);

    /** The residual increment f(p). */
    public Tensor f(Tensor p) {
        Tensor a = attn(p);
        return a.add(mlp(p.add(a)));
    }

    @Override
    protected Tensor compute(Tensor p) {
        return p.add(f(p));
    }
}
