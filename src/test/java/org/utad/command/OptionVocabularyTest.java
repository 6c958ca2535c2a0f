package org.utad.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scijava.ItemIO;
import org.scijava.plugin.Parameter;
import org.scijava.service.Service;
import org.utad.config.Mode;
import org.utad.config.OptionSpec;
import org.utad.config.Presets;
import org.utad.config.UserOptions;
import org.utad.engine.DeviceChoice;
import org.utad.infer.ColorConversion;
import org.utad.infer.Method;

/**
 * Holds every place that names a user option against the one list, {@link UserOptions}: the
 * SciJava commands' {@code @Parameter} fields (names, choices, defaults, tooltips), the words of
 * the enums that parse the choices, and the key tables of docs/MACROS.md. A new option, choice or
 * default that is added in one place and not the others fails here.
 */
class OptionVocabularyTest {
    /** Each SciJava command, its twin's macro label (its section of docs/MACROS.md) and its options. */
    private record Command(Class<?> type, String label, List<OptionSpec> specs) {
    }

    private static final List<Command> COMMANDS = List.of(
            new Command(TrainModelCommand.class, TrainPlugin.LABEL, UserOptions.TRAIN),
            new Command(DetectAnomaliesCommand.class, DetectPlugin.LABEL, UserOptions.DETECT),
            new Command(EvaluateCommand.class, EvaluatePlugin.LABEL, UserOptions.EVALUATE),
            new Command(ModelInfoCommand.class, ModelInfoPlugin.LABEL, UserOptions.INFO));

    @Test
    void everyCommandsParametersAreTheVocabularysNamesChoicesDefaultsAndHelp() throws Exception {
        for (Command c : COMMANDS) {
            Object instance = c.type().getDeclaredConstructor().newInstance();
            List<String> fields = new ArrayList<>();
            for (Field f : c.type().getDeclaredFields()) {
                Parameter p = f.getAnnotation(Parameter.class);
                if (p == null || p.type() == ItemIO.OUTPUT || Service.class.isAssignableFrom(f.getType())
                        || Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                String where = c.type().getSimpleName() + "." + f.getName();
                OptionSpec spec = spec(c.specs(), f.getName());
                assertTrue(spec.inFiji(), where + " is an option of the command line only");
                fields.add(f.getName());
                assertEquals(spec.choices(), Arrays.asList(p.choices()), where + ": choices");
                assertEquals(spec.help(), p.description(), where + ": help");
                f.setAccessible(true);
                assertEquals(spec.fallback(), text(f.get(instance)), where + ": default");
                assertEquals(spec.type(), typeOf(f.getType(), p), where + ": type");
            }
            assertEquals(c.specs().stream().filter(OptionSpec::inFiji).map(OptionSpec::key).toList(), fields,
                    c.type().getSimpleName() + ": one field per option, in the vocabulary's order");
        }
    }

    @Test
    void theChoiceWordsAreThoseThatTheParsersAccept() {
        assertEquals(Presets.NAMES, List.of(UserOptions.PRESET_FAST, UserOptions.PRESET_BALANCED,
                UserOptions.PRESET_PAPER));
        assertEquals(names(DeviceChoice.values()), UserOptions.DEVICES);
        assertEquals(names(Method.values()), UserOptions.METHODS);
        assertEquals(names(ColorConversion.values()), UserOptions.CONVERSIONS);
        List<String> modes = new ArrayList<>(List.of(UserOptions.MODE_PRESET));
        modes.addAll(names(Mode.values()));
        assertEquals(modes, UserOptions.MODES);
        assertEquals(List.of(UserOptions.DEVICE_AUTO, UserOptions.DEVICE_CPU, UserOptions.DEVICE_GPU),
                UserOptions.DEVICES);
        assertEquals(List.of(UserOptions.METHOD_UTAD, UserOptions.METHOD_BASELINE, UserOptions.METHOD_EXPERT),
                UserOptions.METHODS);
        assertEquals(List.of(UserOptions.MODE_PRESET, UserOptions.MODE_RESIZE, UserOptions.MODE_PATCH),
                UserOptions.MODES);
        assertEquals(Presets.fast().validationFraction(), UserOptions.DEFAULT_VALIDATION);
        assertEquals(Presets.fast().seed(), UserOptions.DEFAULT_SEED);
        assertEquals(Presets.NAMES.get(0), UserOptions.DEFAULT_PRESET);
    }

    @Test
    void theMacroDocumentListsExactlyTheVocabularysKeysDefaultsAndChoices() throws IOException {
        String doc = Files.readString(Path.of("docs/MACROS.md"), StandardCharsets.UTF_8);
        for (Command c : COMMANDS) {
            Map<String, String> rows = table(doc, c.label());
            List<OptionSpec> specs = UserOptions.fiji(c.specs());
            assertEquals(specs.stream().map(OptionSpec::key).toList(), new ArrayList<>(rows.keySet()),
                    c.label() + ": the keys of its table");
            for (OptionSpec s : specs) {
                String row = rows.get(s.key());
                String fallback = row.split("\\|")[2].trim();
                if (s.required()) {
                    assertEquals("**required**", fallback, c.label() + " " + s.key());
                } else if (s.type() == OptionSpec.Type.FLAG) {
                    assertEquals("off", fallback, c.label() + " " + s.key());
                } else if (s.fallback().isEmpty()) {
                    assertFalse(fallback.contains("`"), c.label() + " " + s.key() + " has no default: " + fallback);
                } else {
                    assertEquals("`" + s.fallback() + "`", fallback, c.label() + " " + s.key());
                }
                for (String choice : s.choices()) {
                    assertTrue(row.contains("`" + choice + "`"), c.label() + " " + s.key() + " lacks " + choice);
                }
            }
        }
    }

    @Test
    void aMacroKeyOfTheCommandLineOnlyIsUnknownToTheTwins() {
        MacroOptionsTest.Recorder log = new MacroOptionsTest.Recorder();
        MacroOptions.parse("model=m.utad skip_bad", UserOptions.TRAIN, "Train", log);
        assertEquals(1, log.lines.size(), log.lines.toString());
        assertTrue(log.lines.get(0).contains("unknown option 'skip_bad'"), log.lines.get(0));
    }

    /**
     * Reads the key table under the heading that names a twin's label.
     *
     * @return key to its whole row, in the table's order
     */
    private static Map<String, String> table(String doc, String label) {
        int heading = doc.indexOf("## " + label);
        assertTrue(heading >= 0, "docs/MACROS.md has no section " + label);
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : doc.substring(heading).split("\n")) {
            if (line.startsWith("| `")) {
                inTable = true;
                rows.put(line.substring(3, line.indexOf('`', 3)), line);
            } else if (inTable && !line.startsWith("|")) {
                break;
            }
        }
        return rows;
    }

    private static OptionSpec spec(List<OptionSpec> specs, String key) {
        return specs.stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError(key + " is no option of the vocabulary"));
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof File f ? f.getPath() : String.valueOf(value);
    }

    private static OptionSpec.Type typeOf(Class<?> type, Parameter p) {
        if (type == boolean.class) {
            return OptionSpec.Type.FLAG;
        }
        if (type == int.class || type == long.class) {
            return OptionSpec.Type.INT;
        }
        if (type == double.class) {
            return OptionSpec.Type.NUMBER;
        }
        if (type == File.class) {
            return p.style().contains("directory") ? OptionSpec.Type.FOLDER
                    : p.style().contains("save") ? OptionSpec.Type.NEW_FILE : OptionSpec.Type.FILE;
        }
        return p.choices().length > 0 ? OptionSpec.Type.CHOICE : OptionSpec.Type.TEXT;
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    }
}
