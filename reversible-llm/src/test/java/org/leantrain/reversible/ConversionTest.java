package org.leantrain.reversible;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Spec §6.8: conversion of a standard model keeps layer 1 exact and the right order in the block scale ε. */
class ConversionTest {

    @Test
    void oneLayerConversionsReproduceTheStandardLogits() {
        LmShape shape = Fixtures.tinyShape(1, 8);
        StandardLM standard = new StandardLM(shape, DataType.DOUBLE, new Rng(4));
        int[][] ids = Fixtures.randomIds(2, 8, shape.vocab(), new Rng(5));
        standard.eval();
        INDArray expected = standard.logits(ids).value();
        for (ConversionMode mode : new ConversionMode[] {ConversionMode.CENTRAL, ConversionMode.TWO_BLOCK}) {
            ReversibleLM converted = Converter.convert(standard, mode);
            converted.eval();
            Fixtures.assertClose(mode + " logits", expected, converted.logits(ids).value(), 1e-12, 0);
        }
    }

    @Test
    void conversionErrorIsFirstOrderInTheBlockScale() {
        // TWO_BLOCK with distinct blocks and CENTRAL with one shared block: error(1e-2) / error(1e-3) ≈ 10.
        double twoBlock = error(ConversionMode.TWO_BLOCK, false, 1e-2) / error(ConversionMode.TWO_BLOCK, false, 1e-3);
        double central = error(ConversionMode.CENTRAL, true, 1e-2) / error(ConversionMode.CENTRAL, true, 1e-3);
        assertTrue(twoBlock >= 7 && twoBlock <= 13, "TWO_BLOCK ratio " + twoBlock);
        assertTrue(central >= 7 && central <= 13, "CENTRAL ratio " + central);
        // CENTRAL with distinct blocks does not converge (O(1)): the reason TWO_BLOCK exists.
        assertTrue(error(ConversionMode.CENTRAL, false, 1e-3) > 0.1);
    }

    /** ‖p_L^conv − p_L^std‖ / ‖p_L^std − p_0‖ for d = 16, L = 8 tanh-MLP blocks scaled by ε. */
    private static double error(ConversionMode mode, boolean shared, double eps) {
        int layers = 8;
        Rng rng = new Rng(21);
        List<Branches> blocks = new ArrayList<>();
        Fixtures.TanhMlp one = new Fixtures.TanhMlp(16, eps, DataType.DOUBLE, rng);
        for (int l = 0; l < layers; l++) {
            blocks.add(shared ? one : new Fixtures.TanhMlp(16, eps, DataType.DOUBLE, rng));
        }
        Tensor x = Tensor.of(Fixtures.normal(DataType.DOUBLE, 22, 1, 4, 16));
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor p = x;
            for (Branches b : blocks) {
                p = p.add(b.f(p));
            }
            ReversibleStack stack = new ReversibleStack(blocks, Converter.configFor(mode), null,
                    mode == ConversionMode.TWO_BLOCK);
            INDArray converted = stack.forward(x).value();
            return converted.sub(p.value()).norm2Number().doubleValue()
                    / p.value().sub(x.value()).norm2Number().doubleValue();
        }
    }
}
