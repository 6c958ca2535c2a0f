package org.utad.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The twins' dialogs on a real (virtual) screen: {@link DialogProbe} runs in its own JVM under
 * {@code xvfb-run}, as {@link MacrosIT} runs ImageJ, opens each dialog as a user would and reports
 * what it sees; this class judges it. Engine Info takes no options and opens no dialog, so it has
 * none to check. The same screen shows what Evaluate opens.
 */
class DialogsGuiTest {
    private static final long TIMEOUT_SECONDS = 180;
    private static final List<String> DIALOGS = List.of("train", "detect", "evaluate", "model_info");

    @TempDir
    static Path tmp;
    private static Map<String, String> facts;
    private static String output;

    @BeforeAll
    static void probe() throws Exception {
        TestHosts.requireXvfb("the dialog tests");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("xvfb-run", "-a", "timeout", Long.toString(TIMEOUT_SECONDS), java,
                "-Dai.djl.offline=true", "-Duser.home=" + tmp, "-cp", System.getProperty("java.class.path"),
                DialogProbe.class.getName(), tmp.toString()).redirectErrorStream(true);
        Path log = tmp.resolve("probe.log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS + 30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("The dialog probe did not finish:\n" + Files.readString(log));
        }
        output = Files.readString(log, StandardCharsets.UTF_8);
        facts = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith("FACT ") && eq > 0) {
                facts.put(line.substring(5, eq), line.substring(eq + 1).trim());
            }
        }
        assertEquals("true", facts.get("done"), "the probe stopped early (exit " + p.exitValue() + "):\n" + output);
        assertEquals("false", facts.get("headless"), output);
    }

    @Test
    void everyComponentOfEveryDialogLiesInsideItAtItsDefaultSize() {
        for (String d : DIALOGS) {
            assertEquals("none", facts.get(d + ".outside"), d + ": components past the dialog's edge\n" + output);
            assertEquals("none", facts.get(d + ".squeezed"), d + ": components cut below their size\n" + output);
            assertEquals("true", facts.get(d + ".on_screen"), d + " is larger than the screen: " + facts.get(d
                    + ".size"));
            assertEquals("true", facts.get(d + ".closed"), d + ": Cancel did not end the command");
        }
    }

    @Test
    void everyDialogHasAHelpButtonShowingHelpFromTheJar() {
        for (String d : DIALOGS) {
            assertEquals("true", facts.get(d + ".help_button"), d + " has no Help button");
        }
        assertTrue(facts.get("help.title").contains(TrainPlugin.LABEL), facts.get("help.title"));
        assertEquals("true", facts.get("help.mentions_resume"), output);
        assertEquals("true", facts.get("help.lists_iterations1"), output);
        assertEquals("false", facts.get("help.mentions_macros_md"), output);
        assertEquals("true", facts.get("help_menu.lists_evaluate"), "Plugins > UTAD > Help shows every page");
    }

    @Test
    void theModelToWriteIsChosenWithASaveChooser() {
        assertEquals("true", facts.get("chooser.button"), output);
        assertEquals("save", facts.get("chooser.type"), output);
        assertEquals(new File(tmp.toFile(), "chosen.utad").getPath(), facts.get("chooser.model_field"),
                "the chosen path, with the model extension added");
        assertEquals("null", facts.get("chooser.recorded"), "the chooser must not add its own key to a recorded"
                + " call (the recorder takes the path from the model field)");
    }

    @Test
    void afterAFailedRunTheDialogReopensWithTheValuesEnteredButNotTheOneOffSwitches() {
        String error = facts.get("memory.error");
        assertTrue(error.contains("choose a folder of images") && !error.contains("folder=["),
                "the dialog's error speaks of fields, not macro keys: " + error);
        assertEquals(tmp.resolve("remembered.utad").toString(), facts.get("memory.model"));
        assertEquals("55", facts.get("memory.iterations1"));
        assertEquals("balanced", facts.get("memory.preset"));
        assertEquals("false", facts.get("memory.overwrite"), "overwrite is asked for every time");
    }

    @Test
    void evaluationShowsItsFiguresAndMetricsOnAScreenButNotInBatchMode() {
        assertEquals("0", facts.get("evaluate_batch.figures"), "a batch macro wants no windows");
        assertEquals("4", facts.get("evaluate_screen.figures"), "roc, pro and one gallery per test folder");
        assertEquals("4", facts.get("evaluate_screen.windows"), output);
        assertEquals("true", facts.get("evaluate_screen.visible"), output);
        assertEquals("true", facts.get("evaluate_screen.table"), "the metrics table window");
    }
}
