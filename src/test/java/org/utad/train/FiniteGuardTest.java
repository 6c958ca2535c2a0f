package org.utad.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.TestModels;
import org.utad.api.TrainParams;
import org.utad.api.Utad;
import org.utad.config.Mode;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.core.FloatImage;
import org.utad.core.ProgressEvent;
import org.utad.core.UtadException;
import org.utad.engine.DeviceChoice;
import org.utad.engine.Engines;

/** Training stops at the first non-finite value, says where and what to do, and writes no model. */
class FiniteGuardTest {
    private static final List<FloatImage> IMAGES = TestModels.normals(5, 8, 48, 48);

    @BeforeAll
    static void engine() {
        Engines.offline();
    }

    @Test
    void aNonFiniteLossStopsWithStageIterationAndRemedy() {
        FiniteGuard guard = new FiniteGuard(Path.of("run.utad.checkpoint"), "correct (test)");
        Map<String, Double> losses = new LinkedHashMap<>();
        losses.put("recon", 0.25);
        assertDoesNotThrow(() -> guard.check(1, 6, 100, losses));
        losses.put("gan", Double.NaN);
        UtadException e = assertThrows(UtadException.class, () -> guard.check(2, 6, 100, losses));
        String m = e.getMessage();
        assertTrue(m.contains("stage 2 (Expert-Net)") && m.contains("iteration 7 of 100"), m);
        assertTrue(m.contains("gan=NaN") && m.contains("recon=0.2500"), m);
        assertTrue(m.contains("run.utad.checkpoint") && m.contains("stage2.learning_rate"), m);
        assertTrue(m.contains("numerics self-check: correct (test)"), m);
        losses.put("gan", Double.POSITIVE_INFINITY);
        assertThrows(UtadException.class, () -> guard.check(1, 0, 1, losses), "infinity is caught like NaN");
    }

    @Test
    void aDivergingRunStopsWithinAnIterationAndWritesNoModel(@TempDir Path dir) {
        // A learning rate of 1e30 makes the first update overflow the weights: the second iteration's
        // loss is the first non-finite value, and training must stop right there.
        UtadConfig c = TestModels.tiny(32, Mode.PATCH, 20, 10).with("stage1.learning_rate", "1e30");
        Path model = dir.resolve("diverged.utad");
        List<String> messages = new ArrayList<>();
        UtadException e = assertThrows(UtadException.class, () -> Utad.train(
                new TrainParams(IMAGES, c, model, false, DeviceChoice.CPU, false),
                (ProgressEvent p) -> {
                    if (p.message() != null) {
                        messages.add(p.message());
                    }
                }, CancellationToken.none()));
        assertTrue(e.getMessage().contains("stage 1 (IE-Net)"), e.getMessage());
        int stoppedAt = Integer.parseInt(e.getMessage().replaceAll(".*at iteration (\\d+) of 20.*", "$1"));
        assertTrue(stoppedAt <= 3, "stopped at iteration " + stoppedAt + ": " + e.getMessage());
        assertFalse(Files.exists(model), "no model may be written from a diverged run");
        assertTrue(messages.get(0).contains("numerics: "), "the device line names the self-check: " + messages.get(0));
    }
}
