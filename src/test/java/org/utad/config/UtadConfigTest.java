package org.utad.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Presets are valid, JSON round-trips exactly, and every key is overridable by name. */
class UtadConfigTest {

    @Test
    void presetsRoundTripThroughJson() {
        for (String name : Presets.NAMES) {
            UtadConfig c = Presets.get(name);
            UtadConfig back = UtadConfig.fromJson(c.toJson());
            assertEquals(c.toJson(), back.toJson(), name);
            assertEquals(name, back.preset());
        }
        assertEquals(256, Presets.paper().imageSize());
        assertEquals(128, Presets.paper().ieNet().filters());
        assertEquals(64, Presets.paper().expertNet().dim());
    }

    @Test
    void overridesChangeExactlyTheNamedValue() {
        UtadConfig c = Presets.fast()
                .with("stage1.iterations", "77")
                .with("mode", "patch")
                .with("detect.residual", "l2")
                .with("expert_net.dim", "24")
                .with("stage1.decay_at", "0.25,0.75")
                .with("augment", "false")
                .with("detect.smoothing_sigma", "2.5");
        assertEquals(77, c.stage1().iterations());
        assertEquals(Mode.PATCH, c.mode());
        assertEquals(Residual.L2, c.detect().residual());
        assertEquals(24, c.expertNet().dim());
        assertEquals(0.75, c.stage1().decayAt()[1]);
        assertEquals(false, c.augment());
        assertEquals(2.5, c.detect().smoothingSigma());
        assertEquals(Presets.fast().stage2().iterations(), c.stage2().iterations());
    }

    @Test
    void badOverridesSayWhatIsWrong() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Presets.fast().with("stage1.iters", "5"));
        assertTrue(unknown.getMessage().contains("stage1.iterations"), unknown.getMessage());
        IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
                () -> Presets.fast().with("image_size", "big"));
        assertTrue(notNumber.getMessage().contains("image_size"), notNumber.getMessage());
        IllegalArgumentException badSize = assertThrows(IllegalArgumentException.class,
                () -> Presets.fast().with("image_size", "100"));
        assertTrue(badSize.getMessage().contains("multiple of 32"), badSize.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Presets.get("turbo"));
    }

    @Test
    void keysListEveryLeaf() {
        assertTrue(Presets.fast().keys().contains("detect.random_codes"));
        assertTrue(Presets.fast().keys().contains("stage2.discriminator.scales"));
    }

    @Test
    void configsWrittenBeforeTheCorruptionSettingReadAsThePapersTraining() {
        com.google.gson.JsonObject tree = Presets.fast().with("stage1.corruption", "0.5").toJsonTree();
        assertEquals(0.5, UtadConfig.fromJsonTree(tree).stage1().corruption());
        tree.getAsJsonObject("stage1").remove("corruption");
        assertEquals(0.0, UtadConfig.fromJsonTree(tree).stage1().corruption());
        assertThrows(IllegalArgumentException.class, () -> Presets.fast().with("stage1.corruption", "1.5"));
    }

    @Test
    void configsWrittenBeforeTheScoreMarginReadAsTheWholeMap() {
        com.google.gson.JsonObject tree = Presets.fast().with("detect.score_margin", "0.1").toJsonTree();
        assertEquals(0.1, UtadConfig.fromJsonTree(tree).detect().scoreMargin());
        tree.getAsJsonObject("detect").remove("score_margin");
        assertEquals(0.0, UtadConfig.fromJsonTree(tree).detect().scoreMargin());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Presets.fast().with("detect.score_margin", "0.5"));
        assertTrue(e.getMessage().contains("score_margin"), e.getMessage());
    }
}
