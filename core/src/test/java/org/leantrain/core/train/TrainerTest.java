package org.leantrain.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leantrain.core.optim.LrSchedule;
import org.leantrain.core.optim.Sgd;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.factory.Nd4j;

class TrainerTest {
    @Test
    void minimisesAQuadraticFollowingTheSchedule() {
        Tensor p = Tensor.parameter(Nd4j.createFromArray(3.0, -2.0));
        Trainer trainer = new Trainer("quadratic", new Sgd(List.of(p), 0.1, 0), 50, 10)
                .schedule(LrSchedule.linearDecay(0.1, 50));
        for (int i = 0; i < 50; i++) {
            trainer.step(() -> p.square().sum());
        }
        assertTrue(p.value().amaxNumber().doubleValue() < 0.1);
        assertEquals(50, trainer.log().size());
        assertEquals(0.1, trainer.log().column("learning_rate")[0], 1e-12);
        assertEquals(0.1 / 50, trainer.log().column("learning_rate")[49], 1e-12); // schedule step 49 of 50
    }

    @Test
    void nanLossStopsBeforeTheUpdateNamingTheStep() {
        Tensor p = Tensor.parameter(Nd4j.createFromArray(1.0));
        Trainer trainer = new Trainer("nan", new Sgd(List.of(p), 0.1, 0), 5, 1);
        trainer.step(() -> p.square().sum());
        double before = p.value().getDouble(0);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> trainer.step(() -> p.log().mul(0).div(0)
                .sum()));
        assertTrue(e.getMessage().contains("step 2"), e.getMessage());
        assertEquals(before, p.value().getDouble(0), 0);
    }
}
