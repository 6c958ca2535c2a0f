package org.utad.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.install.ImageJSession;

/**
 * Installs UTAD exactly as the README's "Install" section says, into fresh folders, and uses it as
 * a user would (issue 15): a real ImageJ 1.x (ij.jar) started with its window under Xvfb, not in
 * batch mode, driven through its menus by {@link ImageJSession}, which runs Engine Info, opens and
 * photographs the Train dialog, trains a tiny model on a stack of normal images, detects on an image
 * and reports the Log, the menu and the windows.
 *
 * <ul>
 *   <li>plain ImageJ: the contents of {@code target/imagej/} copied into the ImageJ folder; this
 *   run also takes the screenshots (the README's, in docs/screenshots/, come from a run with
 *   {@code -Dutad.screenshots=docs/screenshots}) and checks that standard error carries none
 *   of the noise users cannot act on;</li>
 *   <li>Fiji: {@code target/fiji/} copied over a Fiji.app whose jars/ holds what Fiji ships at the
 *   versions of pom-scijava (taken from the test class path), started the way Fiji's launcher
 *   does, with jars/ on the class path; no jar may then be present in two versions;</li>
 *   <li>an incomplete plain ImageJ install (slf4j-api missing, the failure of issue 15): Engine Info
 *   must answer with a dialog that names the missing library, not with silence.</li>
 * </ul>
 *
 * <p>PyTorch runs on one thread here: the test shares two cores with the build, and OpenMP threads
 * that wait for a busy core slow a tiny training tenfold.
 */
class InstallIT {
    private static final Path IMAGEJ_LAYOUT = Path.of(System.getProperty("utad.imagej.dir", "target/imagej"));
    private static final Path FIJI_LAYOUT = Path.of(System.getProperty("utad.fiji.dir", "target/fiji"));
    /**
     * Where the screenshots go: under target/ in every run, so a test run leaves the checkout clean;
     * {@code -Dutad.screenshots=docs/screenshots} renews the README's pictures.
     */
    private static final Path SHOTS = Path.of(System.getProperty("utad.screenshots", "target/screenshots"))
            .toAbsolutePath();
    private static final long TIMEOUT_SECONDS = 300;
    /** The libraries Fiji ships that UTAD needs; a Fiji install must not bring a second copy of any. */
    private static final List<String> FIJI_SHIPS = List.of("ij-", "scijava-common-", "parsington-", "imglib2-",
            "gson-", "slf4j-api-", "jna-", "commons-compress-", "commons-io-", "commons-codec-");
    private static final String TRAIN_OPTIONS = "preset=fast image_size=32 iterations1=6 iterations2=3 mode=patch"
            + " validation=0.25 device=cpu seed=42 overwrite settings=[" + CommandsTest.TINY + "]";

    @TempDir
    static Path tmp;
    private static Path driver;
    private static Path ijJar;
    private static Path normals;
    private static Path evalData;

    @BeforeAll
    static void prepare() throws IOException {
        TestHosts.requireXvfb("ImageJ's window");
        driver = tmp.resolve("driver");
        Path classes = Path.of(ImageJSession.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path pkg = Path.of("org", "utad", "install");
        TestHosts.copyTree(classes.resolve(pkg), driver.resolve(pkg));
        ijJar = TestHosts.jarOnClassPath("ij-");
        normals = Files.createDirectories(tmp.resolve("normals"));
        for (int i = 0; i < 8; i++) {
            String f = String.format("%03d.png", i);
            Files.copy(Path.of("test-data/texture/train/good", f), normals.resolve(f));
        }
        evalData = tmp.resolve("eval");
        for (String kind : List.of("good", "scratch")) {
            Path dir = Files.createDirectories(evalData.resolve("test").resolve(kind));
            for (String f : List.of("000.png", "001.png")) {
                Files.copy(Path.of("test-data/texture/test", kind, f), dir.resolve(f));
                if (!kind.equals("good")) {
                    Path gt = Files.createDirectories(evalData.resolve("ground_truth").resolve(kind));
                    String mask = f.replace(".png", "_mask.png");
                    Files.copy(Path.of("test-data/texture/ground_truth", kind, mask), gt.resolve(mask));
                }
            }
        }
    }

    @Test
    void plainImageJInstalledAsTheReadmeSaysTrainsAndDetectsFromItsMenus() throws Exception {
        Path imagej = Files.createDirectories(tmp.resolve("ImageJ"));
        Files.copy(ijJar, imagej.resolve("ij.jar"));
        TestHosts.copyTree(IMAGEJ_LAYOUT, imagej);
        Path model = tmp.resolve("plain.utad");
        Session s = run(imagej, List.of(imagej.resolve("ij.jar")), "full", model, SHOTS, evalData);

        assertUsable(s, model);
        assertTrue(s.has("dialog Train UTAD (IJ1)"), s.all());
        assertTrue(s.has("dialog-closed true"), "Cancel must close the Train dialog:\n" + s.all());
        assertTrue(s.has("loss-plot true"), s.all());
        assertTrue(s.log.contains("[UTAD] 4 images: image AUROC"), "Evaluate from the menu:\n" + s.all());
        assertFalse(s.value("evaluate-windows ").isBlank(), "Evaluate from the menu opens its figures:\n" + s.all());
        for (String shot : List.of("dialog.png", "detection.png", "loss-plot.png", "evaluation.png")) {
            assertTrue(s.has("shot " + shot), s.all());
            assertNotBlank(SHOTS.resolve(shot));
        }
        for (String noise : List.of("NNPACK", "SLF4J", "deprecated", "WARNING")) {
            assertFalse(s.stderr.contains(noise), "standard error carries '" + noise + "':\n" + s.stderr);
        }
    }

    @Test
    void fijiInstalledAsTheReadmeSaysAddsNoSecondCopyOfFijisJarsAndWorks() throws Exception {
        Path fiji = tmp.resolve("Fiji.app");
        Path jars = Files.createDirectories(fiji.resolve("jars"));
        Files.createDirectories(fiji.resolve("plugins"));
        for (String prefix : FIJI_SHIPS) {
            Path jar = TestHosts.jarOnClassPath(prefix);
            Files.copy(jar, jars.resolve(jar.getFileName()));
        }
        TestHosts.copyTree(FIJI_LAYOUT, fiji);
        Map<String, List<String>> byArtifact = new HashMap<>();
        for (String name : names(jars)) {
            byArtifact.computeIfAbsent(name.replaceFirst("-\\d[^-]*(-[a-z]+-[\\w]+)?\\.jar$", "$1"),
                    k -> new ArrayList<>()).add(name);
        }
        byArtifact.values().forEach(v -> assertEquals(1, v.size(), "two versions of one library in jars/: " + v));
        List<Path> classPath;
        try (Stream<Path> s = Files.list(jars)) {
            classPath = s.sorted().collect(Collectors.toList());
        }
        Path model = tmp.resolve("fiji.utad");
        Session s = run(fiji, classPath, "full", model, null, null);
        assertUsable(s, model);
    }

    @Test
    void anIncompleteInstallSaysWhichLibraryIsMissing() throws Exception {
        Path imagej = Files.createDirectories(tmp.resolve("ImageJ-incomplete"));
        Files.copy(ijJar, imagej.resolve("ij.jar"));
        TestHosts.copyTree(IMAGEJ_LAYOUT, imagej);
        for (String name : names(imagej.resolve("plugins/jars"))) {
            if (name.startsWith("slf4j-api-")) {
                Files.delete(imagej.resolve("plugins/jars").resolve(name));
            }
        }
        Session s = run(imagej, List.of(imagej.resolve("ij.jar")), "engine", null, SHOTS, null);
        assertTrue(s.has("done"), s.all());
        assertFalse(s.has("driver-error"), s.all());
        assertTrue(s.has("error-dialog UTAD Engine Info (IJ1)"), "no error dialog:\n" + s.all());
        assertTrue(s.has("engine-done true"), s.all());
        assertTrue(s.log.contains("slf4j-api") && s.log.contains("plugins/jars"),
                "the Log must name the missing library and where it goes:\n" + s.all());
        assertNotBlank(SHOTS.resolve("missing-library.png"));
    }

    /** Checks what every working install shows: the menu, Engine Info, training and detection. */
    private static void assertUsable(Session s, Path model) {
        assertTrue(s.has("done"), s.all());
        assertFalse(s.has("driver-error"), s.all());
        String menu = s.value("menu ");
        for (String label : List.of("Train UTAD (IJ1)", "Detect UTAD (IJ1)", "UTAD Model Info (IJ1)",
                "UTAD Engine Info (IJ1)", "Evaluate UTAD (IJ1)", "UTAD Help (IJ1)")) {
            assertTrue(("|" + menu + "|").contains("|" + label + "|"), "Plugins>UTAD lacks " + label + ": " + menu);
        }
        assertFalse(menu.contains(">"), "Plugins>UTAD must hold the commands, not a submenu: " + menu);

        assertTrue(s.log.contains("[UTAD] Engine: DJL"), s.all());
        assertEquals(1, count(s.log, "PYTORCH_LIBRARY_PATH"), "Engine Info names the library path once:\n" + s.log);
        assertFalse(s.log.contains("[UTAD] Error"), s.all());
        assertFalse(s.log.contains("[stage 1 (IE-Net)] stage 1"), "the stage is named twice:\n" + s.log);
        assertTrue(s.log.contains("[UTAD] stage 1 (IE-Net) 6/6"), s.log);
        int written = s.log.indexOf("[UTAD] Model written to " + model);
        assertTrue(written >= 0, s.all());
        for (String line : s.log.substring(written).split("\n")) {
            assertTrue(line.startsWith("[UTAD] "), "a line of the Log lacks the prefix: '" + line + "'\n" + s.log);
        }
        assertTrue(s.has("model-exists true"), s.all());

        String images = s.value("images ");
        for (String title : List.of("000_heatmap", "000_overlay", "000_mask")) {
            assertTrue(("|" + images + "|").contains("|" + title + "|"), "no " + title + " window: " + images);
        }
        assertTrue(s.value("windows ").contains("UTAD Results"), s.all());
        String table = s.value("table ");
        assertTrue(table.startsWith("rows=1 headings=Label|score|verdict|regions label=000.png verdict="), table);
        assertTrue(table.endsWith("verdict=normal") || table.endsWith("verdict=anomalous"), table);
    }

    private static int count(String text, String word) {
        return text.split(Pattern.quote(word), -1).length - 1;
    }

    private static void assertNotBlank(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null && img.getWidth() > 50 && img.getHeight() > 50, png + " is missing or tiny");
        int first = img.getRGB(0, 0);
        int differing = 0;
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                if (img.getRGB(x, y) != first) {
                    differing++;
                }
            }
        }
        assertTrue(differing > 100, png + " is blank");
    }

    /** What one ImageJ session reported, its Log, and its standard error. */
    private static final class Session {
        final List<String> lines;
        final String log;
        final String stderr;

        Session(List<String> report, String stderr) {
            int begin = report.indexOf("log-begin");
            int end = report.lastIndexOf("log-end");
            this.lines = begin < 0 ? report : report.subList(0, begin);
            this.log = begin < 0 || end < begin ? "" : String.join("\n", report.subList(begin + 1, end));
            this.stderr = stderr;
        }

        /** Tells whether a line of the report starts with the given text. */
        boolean has(String start) {
            return lines.stream().anyMatch(l -> l.startsWith(start));
        }

        String value(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                    .findFirst().orElse("");
        }

        String all() {
            return String.join("\n", lines) + "\n--- Log:\n" + log + "\n--- stderr:\n" + stderr;
        }
    }

    private static Session run(Path home, List<Path> classPath, String flow, Path model, Path shots, Path eval)
            throws Exception {
        Path report = Files.createTempFile(tmp, "report", ".txt");
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        Path out = Files.createTempFile(tmp, "stdout", ".txt");
        List<String> cp = new ArrayList<>();
        classPath.forEach(p -> cp.add(p.toString()));
        cp.add(driver.toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x800x24",
                "timeout", Long.toString(TIMEOUT_SECONDS), java, "-Xmx2g", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Duser.home=" + Files.createDirectories(home.resolve("home")),
                "-Dutad.engine.preferences=" + tmp.resolve("engine.properties"),
                "-Dplugins.dir=" + home, "-Dutad.session.report=" + report, "-Dutad.session.flow=" + flow,
                "-Dutad.session.shots=" + (shots == null ? "" : shots.toString()),
                "-Dutad.session.train=" + normals, "-Dutad.session.model=" + (model == null ? "" : model),
                "-Dutad.session.image=" + Path.of("test-data/texture/test/scratch/000.png").toAbsolutePath(),
                "-Dutad.session.train_options=" + TRAIN_OPTIONS,
                "-Dutad.session.eval=" + (eval == null ? "" : eval.toString()),
                "-cp", String.join(File.pathSeparator, cp), ImageJSession.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().putIfAbsent("DJL_CACHE_DIR", Path.of(System.getProperty("user.home"), ".djl.ai").toString());
        pb.redirectError(err.toFile()).redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS + 30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("ImageJ did not finish in time:\n" + Files.readString(err));
        }
        Session s = new Session(Files.readAllLines(report, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue(), "ImageJ exited with " + p.exitValue() + " (124: timed out, a dialog probably"
                + " waited for a click):\n" + s.all() + "\n--- stdout:\n" + Files.readString(out));
        return s;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
