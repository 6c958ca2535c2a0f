package org.utad.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The typed path from a front end's choices to a configuration gives exactly what the former
 * string path gave (every value written as text and parsed back by {@link UtadConfig#with}), and
 * fails with the same words for a bad value.
 */
class TrainingChoicesTest {

    /** The former path of the Fiji commands, kept here as the reference. */
    private static UtadConfig byText(String preset, int imageSize, int it1, int it2, String mode, double validation,
                                     long seed, Map<String, String> settings) {
        UtadConfig c = Presets.get(preset);
        Map<String, String> set = new LinkedHashMap<>();
        if (imageSize > 0) {
            set.put("image_size", Integer.toString(imageSize));
        }
        if (it1 > 0) {
            set.put("stage1.iterations", Integer.toString(it1));
        }
        if (it2 > 0) {
            set.put("stage2.iterations", Integer.toString(it2));
        }
        if (!"preset".equals(mode)) {
            set.put("mode", Mode.parse(mode).name());
        }
        set.put("validation_fraction", Double.toString(validation));
        set.put("seed", Long.toString(seed));
        set.putAll(settings);
        return c.with(set);
    }

    @Test
    void typedChoicesGiveTheConfigurationTheTextPathGave() {
        Random r = new Random(14);
        String[] modes = {"preset", "resize", "patch", "PATCH"};
        for (int i = 0; i < 40; i++) {
            String preset = Presets.NAMES.get(r.nextInt(Presets.NAMES.size()));
            int size = r.nextBoolean() ? 0 : 32 * (2 + r.nextInt(8));
            int it1 = r.nextBoolean() ? 0 : 1 + r.nextInt(5000);
            int it2 = r.nextBoolean() ? 0 : 1 + r.nextInt(5000);
            String mode = modes[r.nextInt(modes.length)];
            double validation = Math.round(r.nextDouble() * 90) / 100.0;
            long seed = r.nextLong();
            Map<String, String> settings = r.nextBoolean() ? Map.of() : Map.of("ie_net.filters",
                    Integer.toString(4 * (2 + r.nextInt(8))));
            UtadConfig typed = new TrainingChoices(preset, size, it1, it2, mode, validation, seed, settings).config();
            UtadConfig text = byText(preset, size, it1, it2, mode, validation, seed, settings);
            assertEquals(text.toJson(), typed.toJson(), "case " + i);
            assertTrue(text.differences(typed).isEmpty(), "case " + i);
        }
    }

    @Test
    void badValuesFailWithTheWordsOfTheTextPath() {
        for (int size : new int[] {16, 100}) {
            String text = assertThrows(IllegalArgumentException.class,
                    () -> byText("fast", size, 0, 0, "preset", 0.15, 42, Map.of())).getMessage();
            String typed = assertThrows(IllegalArgumentException.class,
                    () -> new TrainingChoices("fast", size, 0, 0, "preset", 0.15, 42L, Map.of()).config()).getMessage();
            assertEquals(text, typed);
        }
        String text = assertThrows(IllegalArgumentException.class,
                () -> byText("fast", 0, 0, 0, "preset", 0.95 + 0.1, 42, Map.of())).getMessage();
        String typed = assertThrows(IllegalArgumentException.class,
                () -> new TrainingChoices("fast", 0, 0, 0, "preset", 0.95 + 0.1, 42L, Map.of()).config()).getMessage();
        assertEquals(text, typed);
        assertTrue(typed.contains("validation_fraction"), typed);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrainingChoices("fast", 0, 0, 0, "tiles",
                null, null, Map.of()).config()).getMessage().contains("resize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrainingChoices("quick", 0, 0, 0,
                "preset", null, null, Map.of()).config()).getMessage().contains("fast"));
    }

    @Test
    void choicesNotGivenKeepThePresetsValues() {
        TrainingChoices none = new TrainingChoices("paper", 0, 0, 0, "preset", null, null, null);
        assertEquals(Presets.paper().toJson(), none.config().toJson());
        assertTrue(!none.changesPreset());
        assertTrue(new TrainingChoices("paper", 0, 0, 0, "patch", null, null, null).changesPreset());
        assertTrue(new TrainingChoices("paper", 0, 0, 0, "preset", null, 1L, null).changesPreset());
    }
}
