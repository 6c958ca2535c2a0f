package org.utad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
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
        FiniteGuard guard = new FiniteGuard(Path.of("run.utad.checkpoint"), "correct (test)", m -> { });
        Map<String, Double> losses = new LinkedHashMap<>();
        losses.put("recon", 0.25);
        assertTrue(assertDoesNotThrow(() -> guard.check(1, 6, 100, losses)));
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
    void aLoneNonFiniteGradientIsSkippedAndARunOfThemStops() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = Linear.builder().setUnits(2).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            Adam adam = new Adam(net, m, 0.9f, 0.999f);
            NDArray weight = net.getParameters().get(0).getValue().getArray();
            float[] before = weight.toFloatArray();
            List<String> log = new ArrayList<>();
            FiniteGuard guard = new FiniteGuard(null, "correct (test)", log::add);
            Map<String, Double> losses = Map.of("recon", 0.5);
            for (int i = 0; i < FiniteGuard.MAX_SKIPS_IN_A_ROW; i++) {
                poisonGradients(net, m);
                assertFalse(guard.check(2, i, 1000, losses, adam), "a NaN gradient with finite losses is skipped");
                assertTrue(adam.gradientsFinite(), "the skipped step's gradients are cleared, NaN included");
            }
            assertArrayEquals(before, weight.toFloatArray(), "skipped steps leave the weights alone");
            assertEquals(FiniteGuard.MAX_SKIPS_IN_A_ROW, log.size());
            assertTrue(log.get(0).contains("iteration 1") && log.get(0).contains("skipped"), log.get(0));
            assertTrue(guard.check(2, 3, 1000, losses, adam), "finite gradients are applied again");
            for (int i = 0; i < FiniteGuard.MAX_SKIPS_IN_A_ROW; i++) {
                poisonGradients(net, m);
                guard.check(2, 4 + i, 1000, losses, adam);
            }
            poisonGradients(net, m);
            UtadException e = assertThrows(UtadException.class, () -> guard.check(2, 9, 1000, losses, adam));
            assertTrue(e.getMessage().contains("in a row") && e.getMessage().contains("iteration 10 of 1000"),
                    e.getMessage());
            assertEquals(2 * FiniteGuard.MAX_SKIPS_IN_A_ROW + 1, guard.skipped());
        }
    }

    /** Gives every parameter of the block a gradient holding one NaN. */
    private static void poisonGradients(Block net, NDManager m) {
        for (Pair<String, Parameter> p : net.getParameters()) {
            NDArray a = p.getValue().getArray();
            a.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(a.mul(Float.NaN).sum());
            }
        }
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
