package org.utad.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The presets, now built from named settings, are the very configurations the positional constructors
 * built before: the same JSON, key for key and digit for digit, so model files and reports do not change.
 */
class PresetsTest {

    /**
     * The presets as they were written before the named builders, kept once as the reference: if a
     * preset's value changes on purpose, this is the place to change it too.
     */
    private static final Map<String, UtadConfig> POSITIONAL = Map.of(
            "fast", new UtadConfig(UtadConfig.VERSION, "fast", 64, Mode.PATCH, 42L, 0.15, true,
                    new IeNetConfig(32),
                    new ExpertNetConfig(16, 2, 2, 8, 64, 3),
                    new Stage1Config(4500, 16, 1e-3, new double[] {0.5, 0.875}, 100, 0, 0, 0.5,
                            new DiscriminatorConfig(16, 3, 2)),
                    new Stage2Config(1000, 4, 4e-4, 500, 10, 10, 1, 1, 1,
                            new DiscriminatorConfig(16, 3, 2)),
                    new DetectConfig(4, Residual.SSIM, 4.0, 1.0, 0.99, 0.25, 0, "own_code,no_fast,soft_luminance",
                            0.1)),
            "balanced", new UtadConfig(UtadConfig.VERSION, "balanced", 128, Mode.PATCH, 42L, 0.15, true,
                    new IeNetConfig(64),
                    new ExpertNetConfig(32, 2, 2, 8, 128, 3),
                    new Stage1Config(3000, 16, 1e-3, new double[] {0.5, 0.875}, 100, 0.1, 0, 0,
                            new DiscriminatorConfig(32, 4, 3)),
                    new Stage2Config(2500, 4, 2e-4, 1000, 10, 10, 1, 1, 1,
                            new DiscriminatorConfig(32, 4, 3)),
                    new DetectConfig(10, Residual.SSIM, 4.0, 1.0, 0.99, 0.25, 256, "own_code,no_fast,soft_luminance",
                            0.1)),
            "paper", new UtadConfig(UtadConfig.VERSION, "paper", 256, Mode.RESIZE, 42L, 0.15, true,
                    new IeNetConfig(128),
                    new ExpertNetConfig(64, 2, 2, 8, 256, 3),
                    new Stage1Config(20000, 128, 1e-3, new double[] {0.5, 0.875}, 100, 0.1, 0, 0,
                            new DiscriminatorConfig(32, 4, 3)),
                    new Stage2Config(100000, 1, 1e-4, 50000, 10, 10, 1, 1, 1,
                            new DiscriminatorConfig(64, 4, 3)),
                    new DetectConfig(10, Residual.SSIM, 4.0, 1.0, 0.99, 0.5, 0, "own_code", 0.0)));

    @Test
    void everyPresetWritesTheSameJsonAsItsPositionalConstruction() {
        assertEquals(Set.copyOf(Presets.NAMES), POSITIONAL.keySet());
        for (String name : Presets.NAMES) {
            UtadConfig named = Presets.get(name);
            UtadConfig old = POSITIONAL.get(name);
            assertEquals(old.toJson(), named.toJson(), name);
            assertEquals(old.toJsonTree(), named.toJsonTree(), name);
            assertEquals(Map.of(), old.differences(named), name);
        }
    }

    @Test
    void everyPresetHasTheSameSectionsAsItsPositionalConstruction() {
        for (String name : Presets.NAMES) {
            UtadConfig named = Presets.get(name);
            UtadConfig old = POSITIONAL.get(name);
            assertEquals(old.ieNet(), named.ieNet(), name);
            assertEquals(old.expertNet(), named.expertNet(), name);
            assertEquals(old.stage2(), named.stage2(), name);
            assertEquals(old.detect(), named.detect(), name);
            assertEquals(old.stage1().discriminator(), named.stage1().discriminator(), name);
            assertArrayEquals(old.stage1().decayAt(), named.stage1().decayAt(), name);
            assertEquals(old.stage1().toString().replaceAll("decayAt=\\[D@\\p{XDigit}+", ""),
                    named.stage1().toString().replaceAll("decayAt=\\[D@\\p{XDigit}+", ""), name);
        }
    }
}
