package org.utad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.utad.command.DetectJob;
import org.utad.command.TrainJob;
import org.utad.config.OptionSpec;
import org.utad.config.Presets;
import org.utad.config.Residual;
import org.utad.config.UserOptions;
import org.utad.config.UtadConfig;
import org.utad.infer.ColorConversion;
import org.utad.infer.DetectOptions;
import org.utad.infer.Method;

/**
 * The command line and the Fiji commands read the same words into the same settings: the usage
 * text names every option of the vocabulary, older spellings still work, and the same detection
 * and training settings give equal {@link DetectOptions} and configurations in both front ends.
 */
class FrontEndOptionsTest {

    @Test
    void theUsageTextNamesEveryOptionOfTheCommandLineAndItsOlderSpellings() {
        for (List<OptionSpec> specs : List.of(UserOptions.TRAIN, UserOptions.DETECT, UserOptions.EVALUATE,
                UserOptions.INFO)) {
            for (OptionSpec s : UserOptions.cli(specs)) {
                assertTrue(Main.USAGE_TEXT.contains("--" + s.key() + " ") || Main.USAGE_TEXT.contains("--" + s.key()
                        + "]"), "usage lacks --" + s.key());
                for (String old : s.aliases()) {
                    assertTrue(Main.USAGE_TEXT.contains("--" + old), "usage lacks the older --" + old);
                }
                for (String choice : s.choices()) {
                    assertTrue(Main.USAGE_TEXT.contains(String.join("|", s.choices())), s.key() + " " + choice);
                }
            }
        }
    }

    @Test
    void olderSpellingsMeanTheSameOptionAndAMissingOneIsNamedBothWays() {
        Args old = new Args(List.of("--input", "/in", "--model", "m"), UserOptions.DETECT);
        Args now = new Args(List.of("--folder", "/in", "--model", "m"), UserOptions.DETECT);
        assertEquals("/in", old.required(UserOptions.FOLDER));
        assertEquals(now.required(UserOptions.FOLDER), old.required(UserOptions.FOLDER));
        assertTrue(new Args(List.of("--images", "/n", "--skip-bad"), UserOptions.TRAIN).flag(UserOptions.SKIP_BAD));
        String missing = assertThrows(Args.UsageException.class,
                () -> new Args(List.of("--model", "m"), UserOptions.DETECT).required(UserOptions.FOLDER)).getMessage();
        assertTrue(missing.contains("--folder") && missing.contains("--input"), missing);
        String fijiOnly = assertThrows(Args.UsageException.class,
                () -> new Args(List.of("--add_rois"), UserOptions.DETECT)).getMessage();
        assertTrue(fijiOnly.contains("Unknown option --add_rois"), fijiOnly);
    }

    @Test
    void settingsTextAndRepeatedSetJoinInTheOrderGiven() {
        Args a = new Args(List.of("--set", "detect.tile_size=64", "--settings", "detect.tile_size=96;"
                + " detect.score_margin=0", "--set", "detect.random_codes=2"), UserOptions.DETECT);
        assertEquals(Map.of("detect.tile_size", "96", "detect.score_margin", "0", "detect.random_codes", "2"),
                a.overrides());
        assertEquals(List.of("detect.tile_size", "detect.score_margin", "detect.random_codes"),
                List.copyOf(a.overrides().keySet()));
        assertThrows(IllegalArgumentException.class,
                () -> new Args(List.of("--settings", "detect.tile_size"), UserOptions.DETECT));
    }

    @Test
    void theSameDetectionSettingsGiveEqualOptionsInBothFrontEnds() {
        UtadConfig model = Presets.fast();
        String settings = "detect.tile_size=128 detect.score_margin=0;detect.residual=l2";
        DetectOptions fiji = DetectJob.options(model, "Auto", "baseline", settings, false);
        DetectOptions cli = Main.options(model, new Args(List.of("--conversion", "auto", "--method", "baseline",
                "--set", "detect.tile_size=128", "--set", "detect.score_margin=0", "--set", "detect.residual=l2"),
                UserOptions.DETECT));
        DetectOptions cliText = Main.options(model, new Args(List.of("--conversion", "auto", "--method",
                "baseline", "--settings", settings), UserOptions.EVALUATE));
        assertEquals(fiji, cli);
        assertEquals(fiji, cliText);
        assertEquals(128, fiji.tileSize());
        assertEquals(0, fiji.scoreMargin());
        assertEquals(Residual.L2, fiji.residual());
        assertEquals(Method.BASELINE, fiji.method());
        assertEquals(ColorConversion.AUTO, fiji.conversion());
        assertNotEquals(DetectOptions.defaults(model.detect()), fiji);
        assertEquals(DetectOptions.defaults(model.detect()), Main.options(model, new Args(List.of(),
                UserOptions.DETECT)), "no option keeps the model's own settings");
    }

    @Test
    void theSameTrainingSettingsGiveTheSameConfigurationInBothFrontEnds() {
        UtadConfig fiji = TrainJob.config(new TrainJob.Request(null, new File("/n"), new File("m.utad"), "balanced",
                96, 7, 9, "resize", 0.25, "cpu", 5, "ie_net.filters=16 stage1.iterations=11", false, false));
        UtadConfig cli = Main.trainingChoices(new Args(List.of("--folder", "/n", "--model", "m.utad", "--preset",
                "balanced", "--image_size", "96", "--iterations1", "7", "--iterations2", "9", "--mode", "resize",
                "--validation", "0.25", "--seed", "5", "--settings", "ie_net.filters=16", "--set",
                "stage1.iterations=11"), UserOptions.TRAIN)).config();
        assertEquals(fiji.toJson(), cli.toJson());
        assertEquals(96, cli.imageSize());
        assertEquals(11, cli.stage1().iterations(), "an override wins over the short key");
        assertEquals(9, cli.stage2().iterations());
        assertEquals(0.25, cli.validationFraction());
        assertEquals(16, cli.ieNet().filters());

        Args none = new Args(List.of("--folder", "/n", "--model", "m"), UserOptions.TRAIN);
        assertEquals(Presets.fast().toJson(), Main.trainingChoices(none).config().toJson());
        assertTrue(!Main.trainingChoices(none).changesPreset(), "nothing given: a resume keeps its checkpoint's");
        assertTrue(Main.trainingChoices(new Args(List.of("--iterations1", "3"), UserOptions.TRAIN)).changesPreset());
        String bad = assertThrows(Args.UsageException.class, () -> Main.trainingChoices(new Args(
                List.of("--iterations1", "many"), UserOptions.TRAIN))).getMessage();
        assertTrue(bad.contains("--iterations1") && bad.contains("many"), bad);
    }
}
