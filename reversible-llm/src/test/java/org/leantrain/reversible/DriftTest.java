package org.leantrain.reversible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.reversible.experiments.DriftSetup;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Spec §6.6: reconstruction drift of the §2 table setup (d = 64, 4 heads, T = 32, B = 4, x ~ N(0, 1), weights
 * U(±1/√fan_in), biases 0, LN γ = 1, β = 0; "grown" = weights ×4), checkpoint remedy, exact fixed-point states.
 */
class DriftTest {

    @Test
    void floatDriftStaysWithinTheBounds() {
        for (ReversibleRule rule : Fixtures.rules(64, 11)) {
            assertTrue(drift(rule, 64, DataType.DOUBLE, 1, ReversibleConfig.NO_CHECKPOINTS, StateMode.FLOAT) <= 1e-12,
                    rule + " float64 L=64");
            assertTrue(drift(DriftSetup.forDepth(rule, 16), 16, DataType.FLOAT, 1, ReversibleConfig.NO_CHECKPOINTS,
                    StateMode.FLOAT) <= 5e-5, rule + " float32 L=16");
            assertTrue(drift(rule, 64, DataType.FLOAT, 1, ReversibleConfig.NO_CHECKPOINTS, StateMode.FLOAT) <= 1e-3,
                    rule + " float32 L=64");
        }
    }

    @Test
    void checkpointingEveryFourLayersReducesGrownWeightDrift() {
        for (ReversibleRule rule : Fixtures.rules(64, 12)) {
            if (rule instanceof ReversibleRule.Hamiltonian) {
                continue;
            }
            double none = drift(rule, 64, DataType.FLOAT, 4, ReversibleConfig.NO_CHECKPOINTS, StateMode.FLOAT);
            double k4 = drift(rule, 64, DataType.FLOAT, 4, 4, StateMode.FLOAT);
            assertTrue(k4 < none, rule + ": k=4 " + k4 + " vs none " + none);
        }
    }

    @Test
    void fixedPointStatesReconstructBitExactly() {
        for (ReversibleRule rule : List.of(new ReversibleRule.Midpoint(0.5), new ReversibleRule.Leapfrog(1),
                new ReversibleRule.Hamiltonian())) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                assertEquals(0.0, drift(rule, 16, type, 4, ReversibleConfig.NO_CHECKPOINTS, StateMode.FIXED_POINT),
                        rule + " " + type);
            }
        }
    }

    private static double drift(ReversibleRule rule, int layers, DataType type, double weightScale, int every,
                                StateMode state) {
        return DriftSetup.drift(rule, layers, type, weightScale, every, state);
    }
}
