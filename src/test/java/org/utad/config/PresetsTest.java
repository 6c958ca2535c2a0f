package org.utad.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The presets, built from named settings, are the very configurations that the positional
 * constructors built before: the same JSON, key for key and digit for digit, so model files and
 * reports do not change.
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

    private static String reference(String name) throws IOException {
        try (InputStream in = PresetsTest.class.getResourceAsStream("preset-" + name + ".json")) {
            assertNotNull(in, "no reference JSON for preset " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
