package org.utad.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The presets, read from their JSON files, are the very configurations that the positional
 * constructors built before: the same JSON, key for key and digit for digit, so model files and
 * reports do not change; and a preset file with a setting missing, unknown or out of range is refused
 * with that setting named, so a mistake in one cannot ship as a silently different model.
 *
 * <p>The reference is written out once, in {@code preset-<name>.json} beside this class: the
 * {@link UtadConfig#toJson()} of each preset as the positional {@code Presets} of commit 9cd89c2 built
 * it (that class compiled on its own and run against these records). A preset that changes on purpose
 * changes its file in the same commit.
 */
class PresetsTest {

    @Test
    void everyPresetWritesTheSameJsonAsItsPositionalConstruction() throws IOException {
        for (String name : Presets.NAMES) {
            String reference = reference(name);
            UtadConfig named = Presets.get(name);
            assertEquals(reference, named.toJson() + "\n", name);
            assertEquals(Map.of(), UtadConfig.fromJson(reference).differences(named), name);
        }
    }

    @Test
    void everyPresetHasTheSameSectionsAsItsPositionalConstruction() throws IOException {
        for (String name : Presets.NAMES) {
            UtadConfig named = Presets.get(name);
            UtadConfig old = UtadConfig.fromJson(reference(name));
            assertEquals(old.ieNet(), named.ieNet(), name);
            assertEquals(old.expertNet(), named.expertNet(), name);
            assertEquals(old.stage2(), named.stage2(), name);
            assertEquals(old.detect(), named.detect(), name);
            assertEquals(old.stage1().discriminator(), named.stage1().discriminator(), name);
            assertArrayEquals(old.stage1().decayAt(), named.stage1().decayAt(), name);
            assertEquals(old.stage1().corruption(), named.stage1().corruption(), name);
        }
    }

    @Test
    void aChangedPresetNamesAKeyThatDoesNotExist() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Presets.changed("typo", "// a comment\n{\"stage1.iteration\": 10}"));
        assertTrue(e.getMessage().contains("typo preset") && e.getMessage().contains("stage1.iteration"),
                e.getMessage());
        IllegalStateException range = assertThrows(IllegalStateException.class,
                () -> Presets.changed("narrow", "{\"ie_net.filters\": 6}"));
        assertTrue(range.getMessage().contains("ie_net.filters"), range.getMessage());
    }

    @Test
    void aChangedPresetChangesOnlyWhatItNames() {
        UtadConfig c = Presets.changed("mine", "{\"stage1.decay_at\": [0.25, 0.75], // two decays\n"
                + "\"detect.residual\": \"l2\"}");
        assertEquals("mine", c.preset());
        assertArrayEquals(new double[] {0.25, 0.75}, c.stage1().decayAt());
        assertEquals(Residual.L2, c.detect().residual());
        Map<String, String> changed = Presets.paper().differences(c);
        assertEquals(Set.of("preset", "stage1.decay_at", "detect.residual"), changed.keySet());
    }

    @Test
    void aCompletePresetMustNameEverySetting() throws IOException {
        String paper = reference(Presets.PAPER);
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> Presets.complete(paper.replace("\"halve_every\": 50000,", "")));
        assertTrue(missing.getMessage().contains("stage2.halve_every"), missing.getMessage());
        IllegalStateException unknown = assertThrows(IllegalStateException.class,
                () -> Presets.complete(paper.replace("\"paired\": 10.0,", "\"paired\": 10.0, \"pairs\": 1,")));
        assertTrue(unknown.getMessage().contains("stage2.pairs"), unknown.getMessage());
        assertEquals(Map.of(), Presets.paper().differences(Presets.complete("/* the reference */ " + paper)));
    }

    private static String reference(String name) throws IOException {
        try (InputStream in = PresetsTest.class.getResourceAsStream("preset-" + name + ".json")) {
            assertNotNull(in, "no reference JSON for preset " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
