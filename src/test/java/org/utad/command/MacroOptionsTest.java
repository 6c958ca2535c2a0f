package org.utad.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.utad.config.Mode;
import org.utad.config.Presets;
import org.utad.config.UserOptions;
import org.utad.config.UtadConfig;
import org.utad.core.InvalidInputException;

/**
 * The ImageJ 1.x twins' option parsing: ImageJ's bracket and flag syntax, defaults, warnings on
 * unknown keys, clear failures on missing keys and bad values, and the training configuration built
 * from the options.
 */
class MacroOptionsTest {
    /** Records what would go to the log. */
    static final class Recorder implements UserLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void info(String message) {
            lines.add("info " + message);
        }

        @Override
        public void warn(String message) {
            lines.add("warn " + message);
        }

        @Override
        public void error(String message, Throwable cause) {
            lines.add("error " + message);
        }
    }

    @Test
    void readsImageJsSyntax() {
        Map<String, String> t = MacroOptions.tokenize("model=[/a b/m.utad] image_size=64 masks add_rois=false ");
        assertEquals("/a b/m.utad", t.get("model"));
        assertEquals("64", t.get("image_size"));
        assertEquals("", t.get("masks"));
        assertEquals("false", t.get("add_rois"));
    }

    @Test
    void appliesDefaultsFlagsAndTypes() {
        Recorder log = new Recorder();
        MacroOptions o = MacroOptions.parse("model=/tmp/m.utad iterations1=12 overwrite preset=Balanced",
                UserOptions.TRAIN, "Train", log);
        assertEquals("/tmp/m.utad", o.file("model").getPath());
        assertEquals(12, o.integer("iterations1"));
        assertEquals(0, o.integer("iterations2"));
        assertTrue(o.flag("overwrite"));
        assertFalse(o.flag("resume"));
        assertEquals("balanced", o.choice("preset"));
        assertEquals(0.15, o.number("validation"), 0);
        assertEquals("", o.file("folder").getPath());
        assertTrue(log.lines.isEmpty(), log.lines.toString());
    }

    @Test
    void warnsOnUnknownKeysAndFailsOnMissingOnes() {
        Recorder log = new Recorder();
        MacroOptions.parse("model=m.utad iteratoins1=5", UserOptions.TRAIN, "Train", log);
        assertEquals(1, log.lines.size());
        assertTrue(log.lines.get(0).startsWith("warn") && log.lines.get(0).contains("iteratoins1"), log.lines.get(0));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MacroOptions.parse("folder=/x", UserOptions.DETECT, "Detect", log));
        assertTrue(e.getMessage().contains("model"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> MacroOptions.parse("model=[/x", UserOptions.INFO, "Info", log));
    }

    @Test
    void badValuesNameTheirKey() {
        MacroOptions o = MacroOptions.parse("model=m seed=abc mode=tiles masks=maybe", List.of(
                UserOptions.TRAIN.get(2), UserOptions.TRAIN.get(7), UserOptions.TRAIN.get(10),
                UserOptions.DETECT.get(7)),
                "T", new Recorder());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.integer("seed")).getMessage().contains("seed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.choice("mode")).getMessage().contains("resize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> o.flag("masks")).getMessage().contains("masks"));
    }

    @Test
    void trainingConfigurationKeepsPresetValuesForZeroAndAppliesOverrides() {
        MacroOptions o = MacroOptions.parse("model=m.utad mode=patch image_size=64 iterations2=7 seed=5"
                + " settings=[ie_net.filters=16;stage1.batch_size=4]", UserOptions.TRAIN, "Train", new Recorder());
        UtadConfig c = TrainJob.config(TrainJob.request(o, null));
        assertEquals(Mode.PATCH, c.mode());
        assertEquals(64, c.imageSize());
        assertEquals(Presets.fast().stage1().iterations(), c.stage1().iterations(), "0 keeps the preset's");
        assertEquals(7, c.stage2().iterations());
        assertEquals(5, c.seed());
        assertEquals(16, c.ieNet().filters());
        assertEquals(4, c.stage1().batchSize());
        MacroOptions bad = MacroOptions.parse("model=m settings=ie_net.filters", UserOptions.TRAIN, "T", new Recorder());
        assertThrows(IllegalArgumentException.class, () -> TrainJob.config(TrainJob.request(bad, null)));
    }
}
