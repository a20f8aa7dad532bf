package org.leantrain.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TorchPeerTest {
    @Test
    void missingPythonIsReportedWithAnInstallHintNotThrown() throws Exception {
        TorchPeer.Result r = TorchPeer.run("/nonexistent/python3", "mlp_step.py", 1, 1);
        assertFalse(r.ok());
        assertTrue(r.problem().contains("python3-torch"), r.problem());
    }

    @Test
    void bothPeerScriptsAreInTheJar() {
        assertTrue(TorchPeer.class.getResource("/python/mlp_step.py") != null);
        assertTrue(TorchPeer.class.getResource("/python/lstm_step.py") != null);
    }
}
