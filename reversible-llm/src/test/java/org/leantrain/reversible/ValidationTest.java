package org.leantrain.reversible;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Spec §9: every bad input is refused with a message that names it. */
class ValidationTest {
    private static final ReversibleRule MID = new ReversibleRule.Midpoint(0.5);

    @Test
    void badRuleSettingsAreRejected() {
        message(IllegalArgumentException.class, "h must be positive", () -> new ReversibleRule.Midpoint(0));
        message(IllegalArgumentException.class, "h must be positive", () -> new ReversibleRule.Leapfrog(Double.NaN));
        message(IllegalArgumentException.class, "h must be positive",
                () -> new ReversibleRule.Leapfrog(Double.POSITIVE_INFINITY));
        message(IllegalArgumentException.class, "|a| >= 0.25",
                () -> new ReversibleRule.StochasticMidpoint(1, new double[] {1, 0.2}));
        message(IllegalArgumentException.class, "|a| >= 0.25",
                () -> new ReversibleRule.StochasticMidpoint(1, new double[] {Double.NaN}));
    }

    @Test
    void badConfigurationsAreRejected() {
        ReversibleConfig ok = ReversibleConfig.of(MID);
        message(IllegalArgumentException.class, "checkpointEvery", () -> ok.withCheckpointEvery(0));
        message(IllegalArgumentException.class, "fracBits", () -> new ReversibleConfig(MID, Boundary.DUPLICATE,
                StateMode.FIXED_POINT, 41, 1, MemoryMode.REVERSIBLE, 0, false));
        message(IllegalArgumentException.class, "fracBits", () -> new ReversibleConfig(MID, Boundary.DUPLICATE,
                StateMode.FIXED_POINT, 7, 1, MemoryMode.REVERSIBLE, 0, false));
        message(IllegalArgumentException.class, "FIXED_POINT states", () -> ReversibleConfig.of(
                ReversibleRule.StochasticMidpoint.sample(4, 1, new Rng(1))).withState(StateMode.FIXED_POINT));
        message(IllegalArgumentException.class, "without replay", () -> new ReversibleConfig(MID, Boundary.DUPLICATE,
                StateMode.FLOAT, 32, 1, MemoryMode.REVERSIBLE, 0.1, false));
        message(IllegalArgumentException.class, "dropout must be in [0, 1)", () -> ok.withReplayedDropout(1.0));
        message(IllegalArgumentException.class, "HAMILTONIAN",
                () -> ReversibleConfig.of(new ReversibleRule.Hamiltonian()).withBoundary(Boundary.FIXED_POINT));
        message(IllegalArgumentException.class, "coefficients a_l for", () -> new ReversibleLM(Fixtures.tinyShape(3, 8),
                ReversibleConfig.of(ReversibleRule.StochasticMidpoint.sample(2, 1, new Rng(1))), DataType.FLOAT,
                new Rng(1)));
    }

    @Test
    void badShapesAndTokensAreRejected() {
        message(IllegalArgumentException.class, "layers L must be >= 1", () -> new LmShape(11, 16, 2, 0, 8, 0));
        message(IllegalArgumentException.class, "divisible by heads", () -> new LmShape(11, 16, 3, 2, 8, 0));
        message(IllegalArgumentException.class, "L >= 1", () -> new ReversibleStack(List.of(), ReversibleConfig.of(MID)));
        ReversibleLM model = new ReversibleLM(Fixtures.tinyShape(2, 8), ReversibleConfig.of(MID), DataType.FLOAT,
                new Rng(1));
        message(IllegalArgumentException.class, "outside [0, 11)", () -> model.logits(new int[][] {{1, 11}}));
        message(IllegalArgumentException.class, "outside [0, 11)", () -> model.logits(new int[][] {{-1, 2}}));
        message(IllegalArgumentException.class, "exceeds the positional table", () -> model.logits(new int[][] {new int[9]}));
    }

    @Test
    void badDistillationAndConversionAreRejected() {
        message(IllegalArgumentException.class, "alpha", () -> new DistillationLoss(1.5, 1));
        message(IllegalArgumentException.class, "alpha", () -> new DistillationLoss(-0.1, 1));
        message(IllegalArgumentException.class, "tau", () -> new DistillationLoss(0.5, 0));
        StandardLM three = new StandardLM(Fixtures.tinyShape(3, 8), DataType.FLOAT, new Rng(1));
        ReversibleLM two = new ReversibleLM(Fixtures.tinyShape(2, 8), ReversibleConfig.of(MID), DataType.FLOAT, new Rng(1));
        message(IllegalArgumentException.class, "cannot convert", () -> Converter.copyWeights(three, two));
        StandardLM wider = new StandardLM(new LmShape(11, 32, 2, 2, 8, 0), DataType.FLOAT, new Rng(1));
        message(IllegalArgumentException.class, "cannot convert", () -> Converter.copyWeights(wider, two));
    }

    @Test
    void nonFiniteStatesNameTheFirstBadLayer() {
        ReversibleStack stack = new ReversibleStack(List.of(new Fixtures.Linear(1e200), new Fixtures.Linear(1e200),
                new Fixtures.Linear(1e200)), ReversibleConfig.of(new ReversibleRule.Leapfrog(1)));
        INDArray x = Fixtures.normal(DataType.DOUBLE, 1, 1, 2, 4);
        message(ArithmeticException.class, "after layer 1", () -> stack.forward(Tensor.of(x)));
        x.putScalar(0, Double.NaN);
        message(ArithmeticException.class, "boundary state", () -> stack.forward(Tensor.of(x)));
    }

    private static void message(Class<? extends Throwable> type, String fragment, org.junit.jupiter.api.function.Executable body) {
        Throwable t = assertThrows(type, body);
        assertTrue(t.getMessage().contains(fragment), "message '" + t.getMessage() + "' should mention '" + fragment + "'");
    }
}
