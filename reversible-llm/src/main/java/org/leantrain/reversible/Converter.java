package org.leantrain.reversible;

import java.util.List;
import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;

/** Turns a trained {@link StandardLM} into a {@link ReversibleLM} with the same weights ({@link ConversionMode}). */
public final class Converter {
    private Converter() {}

    /** The reversible configuration a conversion mode uses (REVERSIBLE memory, float states). */
    public static ReversibleConfig configFor(ConversionMode mode) {
        return switch (mode) {
            case CENTRAL -> ReversibleConfig.of(new ReversibleRule.Midpoint(1.0)).withBoundary(Boundary.FIXED_POINT);
            case TWO_BLOCK, NAIVE_MIDPOINT -> ReversibleConfig.of(new ReversibleRule.Midpoint(0.5));
        };
    }

    /** A new reversible LM holding copies of {@code source}'s weights. */
    public static ReversibleLM convert(StandardLM source, ConversionMode mode) {
        return convert(source, mode, configFor(mode).memory());
    }

    /** As {@link #convert(StandardLM, ConversionMode)}, with the memory mode chosen (STORED for exactness checks). */
    public static ReversibleLM convert(StandardLM source, ConversionMode mode, MemoryMode memory) {
        Tensor any = source.head().weight();
        ReversibleLM target = new ReversibleLM(source.shape(), configFor(mode).withMemory(memory),
                mode == ConversionMode.TWO_BLOCK, any.dataType(), new Rng(0));
        copyWeights(source, target);
        return target;
    }

    /** Copies every weight of {@code source} into {@code target}; both must have the same depth, width and vocabulary. */
    public static void copyWeights(LanguageModel source, LanguageModel target) {
        LmShape s = source.shape();
        LmShape t = target.shape();
        if (s.layers() != t.layers() || s.dim() != t.dim() || s.vocab() != t.vocab() || s.heads() != t.heads()
                || s.maxLength() != t.maxLength()) {
            throw new IllegalArgumentException("cannot convert: source has L=" + s.layers() + ", d=" + s.dim() + ", V="
                    + s.vocab() + ", heads=" + s.heads() + ", T_max=" + s.maxLength() + " but target has L="
                    + t.layers() + ", d=" + t.dim() + ", V=" + t.vocab() + ", heads=" + t.heads() + ", T_max="
                    + t.maxLength());
        }
        copy(source.tokens(), target.tokens());
        copy(source.positions(), target.positions());
        for (int l = 0; l < s.layers(); l++) {
            copy(source.blocks().get(l), target.blocks().get(l));
        }
        copy(source.norm(), target.norm());
        copy(source.head(), target.head());
    }

    private static void copy(Module from, Module to) {
        List<Tensor> a = from.parameters();
        List<Tensor> b = to.parameters();
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("modules differ: " + a.size() + " vs " + b.size() + " parameters");
        }
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i).shape(), b.get(i).shape())) {
                throw new IllegalArgumentException("parameter " + i + " has shape "
                        + java.util.Arrays.toString(a.get(i).shape()) + " in the source but "
                        + java.util.Arrays.toString(b.get(i).shape()) + " in the target");
            }
            b.get(i).value().assign(a.get(i).value());
        }
    }
}
