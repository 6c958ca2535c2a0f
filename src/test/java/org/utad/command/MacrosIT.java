package org.utad.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every macro in macros/ in real ImageJ 1.x, as a user's batch job would: {@code ImageJ -batch}
 * under Xvfb (ImageJ's batch mode still needs a display), in an ImageJ folder installed as the
 * README says for plain ImageJ (the contents of {@code target/imagej} copied in: the plugin jar in
 * plugins/, everything it needs in plugins/jars/), and a hard timeout because a macro error there opens a dialog that
 * would wait forever. Training is tiny so the whole class takes a few minutes on two cores.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MacrosIT {
    private static final Path LAYOUT = Path.of(System.getProperty("utad.imagej.dir", "target/imagej"));
    private static final long TIMEOUT_SECONDS = 600;
    private static final String TINY = CommandsTest.TINY;

    @TempDir
    static Path tmp;
    private static Path imagej;
    private static Path ijJar;
    private static Path model;

    @BeforeAll
    static void layOutImageJ() throws IOException {
        TestHosts.requireXvfb("ImageJ's -batch mode");
        imagej = tmp.resolve("ImageJ");
        TestHosts.copyTree(LAYOUT, imagej);
        ijJar = TestHosts.jarOnClassPath("ij-");
        model = tmp.resolve("texture.utad");
    }

    @Test
    @Order(1)
    void trainOnStackTrainsAModelAndChecksItWithoutClearingTheRoiManager() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("train"));
        String log = runMacro("train_on_stack.ijm", "images=" + Path.of("test-data/texture/train/good").toAbsolutePath()
                + ";model=" + model + ";output=" + out + ";slices=1-8;image_size=32;iterations1=6;iterations2=3"
                + ";settings=" + TINY);
        assertTrue(Files.isRegularFile(model), "no model written:\n" + log);
        assertTrue(Files.size(out.resolve("losses.png")) > 0, "no loss plot:\n" + log);
        assertTrue(Files.isRegularFile(out.resolve("check_heatmap.tif")), log);
        assertTrue(log.contains("UTAD-CHECK heatmap 128x128x2 bitdepth=32"), log);
        assertTrue(log.contains("UTAD-CHECK rows=2"), log);
        assertTrue(log.contains("UTAD-CHECK rois before=1 after=") && log.contains("first=my ROI"),
                "the user's ROI must survive detection:\n" + log);
        assertFalse(log.contains("[UTAD] Error"), log);
    }

    @Test
    @Order(2)
    void detectFolderBatchWritesHeatmapsAndScoresPerSubFolder() throws Exception {
        assertTrue(Files.isRegularFile(model), "the training macro (run first) must have written the model");
        Path data = tmp.resolve("data");
        for (String kind : List.of("good", "scratch")) {
            Path dir = Files.createDirectories(data.resolve(kind));
            for (String f : List.of("000.png", "001.png")) {
                Files.copy(Path.of("test-data/texture/test", kind, f), dir.resolve(f));
            }
        }
        Path out = tmp.resolve("detect");
        String log = runMacro("detect_folder_batch.ijm", "model=" + model + ";data=" + data + ";output=" + out
                + ";device=cpu");
        for (String kind : List.of("good", "scratch")) {
            List<String> csv = Files.readAllLines(out.resolve(kind).resolve("scores.csv"));
            assertEquals(3, csv.size(), kind + ": header and one row per image expected:\n" + csv + "\n" + log);
            assertTrue(csv.get(1).startsWith("000.png,"), csv.get(1));
            assertTrue(Files.isRegularFile(out.resolve(kind).resolve("001_heatmap.tif")), log);
            assertTrue(log.contains("UTAD-CHECK " + kind + " rows=2"), log);
        }
        assertFalse(log.contains("[UTAD] Error"), log);
    }

    @Test
    @Order(3)
    void evaluateWritesTheMetricsTables() throws Exception {
        assertTrue(Files.isRegularFile(model), "the training macro (run first) must have written the model");
        Path out = tmp.resolve("evaluate");
        String log = runMacro("evaluate.ijm", "model=" + model + ";data="
                + Path.of("test-data/texture").toAbsolutePath() + ";output=" + out);
        assertFalse(log.contains("[UTAD] Error"), log);
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertTrue(metrics.size() >= 2 && metrics.get(1).startsWith("all,"), "overall row expected:\n" + metrics);
        assertEquals(8 + 16 + 1, Files.readAllLines(out.resolve("image_scores.csv")).size(),
                "one row per test image of test-data/texture plus the header");
    }

    @Test
    @Order(4)
    void aMacroErrorEndsTheMacroWithAMessageInsteadOfHanging() throws Exception {
        Path macro = tmp.resolve("bad.ijm");
        Files.writeString(macro, "run(\"Detect UTAD (IJ1)\", \"folder=/nowhere bogus=1\");\nprint(\"AFTER\");\n");
        String log = run(macro, "");
        assertTrue(log.contains("unknown option 'bogus'"), log);
        assertTrue(log.contains("needs the option model"), log);
        assertFalse(log.contains("AFTER"), "the macro must stop at the failed command:\n" + log);
    }

    private static String runMacro(String name, String argument) throws Exception {
        return run(Path.of("macros", name).toAbsolutePath(), argument);
    }

    private static String run(Path macro, String argument) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("xvfb-run", "-a", "timeout", Long.toString(TIMEOUT_SECONDS), java,
                "-Xmx2g", "-Dai.djl.offline=true", "-Dplugins.dir=" + imagej, "-cp", ijJar.toString(), "ij.ImageJ",
                "-batch", macro.toString(), argument));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(imagej.toFile()).redirectErrorStream(true);
        pb.environment().put("DJL_OFFLINE", "true");
        Path logFile = tmp.resolve(macro.getFileName() + ".log");
        pb.redirectOutput(logFile.toFile());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS + 30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("ImageJ did not finish " + macro.getFileName() + " in time:\n" + Files.readString(logFile));
        }
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "ImageJ exited with " + p.exitValue() + " on " + macro.getFileName()
                + (p.exitValue() == 124 ? " (timed out: a dialog probably waited for a click)" : "") + ":\n" + log);
        return log;
    }
}
