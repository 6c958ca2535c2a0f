package org.utad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.api.BatchDetection;
import org.utad.api.ScoresCsv;
import org.utad.api.TrainParams;
import org.utad.api.Utad;
import org.utad.cli.Main;
import org.utad.config.Presets;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.core.FloatImage;
import org.utad.core.ProgressListener;
import org.utad.data.SyntheticImages;
import org.utad.engine.DeviceChoice;
import org.utad.engine.Engines;
import org.utad.imagej.ImageWriter;

/**
 * The Spark job in Spark's local mode (two cores, up to three attempts per task) against
 * {@code bin/utad detect} on the same images with a tiny model trained here: the same table and
 * the same heatmap and mask files byte for byte, however the images are split into tasks; a
 * corrupt image among good ones; a task that fails once; a job killed half-way and resumed; a
 * re-run that skips what is done; and the model read once per executor.
 */
class SparkDetectionTest {
    /** The tiny test configuration (as {@code CliTest} in the plugin trains it). */
    private static final Map<String, String> TINY = tiny();
    /** Which tasks already failed on purpose, by image, so each fails only on its first attempt. */
    static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();
    /** Images and attempts the last observed job saw, in the order the tasks reported them. */
    static final List<String> SEEN = java.util.Collections.synchronizedList(new ArrayList<>());

    @TempDir
    static Path dir;
    private static Path model;
    private static Path input;
    private static Path reference;
    private static List<String> goodFiles;
    private static JavaSparkContext sc;

    private static Map<String, String> tiny() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : ("image_size=32 ie_net.filters=16 expert_net.dim=8 expert_net.n_downsample=1"
                + " expert_net.n_res=1 expert_net.detail_dim=4 expert_net.mlp_dim=16 expert_net.mlp_layers=2"
                + " stage1.iterations=40 stage2.iterations=20 stage1.batch_size=4 stage2.batch_size=2"
                + " stage1.discriminator.dim=8 stage1.discriminator.layers=2 stage2.discriminator.dim=8"
                + " stage2.discriminator.layers=2 detect.random_codes=2 detect.residual=l2 detect.tile_size=0"
                + " validation_fraction=0.25").split(" ")) {
            m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        return m;
    }

    @BeforeAll
    static void trainDetectOnOneMachineAndStartSpark() throws Exception {
        Engines.offline();
        SyntheticImages gen = new SyntheticImages(21);
        List<FloatImage> normals = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            normals.add(to8bit(gen.normal(i, 48, 48, 1)));
        }
        UtadConfig config = Presets.get("fast").with(TINY);
        model = dir.resolve("tiny.utad");
        Utad.train(new TrainParams(normals, config, model, false, DeviceChoice.CPU, false), ProgressListener.NONE,
                CancellationToken.none());

        input = dir.resolve("images");
        goodFiles = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ImageWriter.writePng8(gen.normal(100 + i, 48, 48, 1), input.resolve("normal_" + i + ".png"), false);
            goodFiles.add("normal_" + i + ".png");
        }
        SyntheticImages.Defect[] kinds = SyntheticImages.Defect.values();
        for (int i = 0; i < 4; i++) {
            ImageWriter.writePng8(gen.defective(200 + i, 48, 48, 1, kinds[i % kinds.length]).image(),
                    input.resolve("defect_" + i + ".png"), false);
            goodFiles.add("defect_" + i + ".png");
        }
        ImageWriter.writeTiff(List.of(to8bit(gen.normal(300, 48, 48, 1)), to8bit(gen.normal(301, 48, 48, 1))),
                input.resolve("stack.tif"), 8, false);
        goodFiles.add("stack.tif");
        Files.writeString(input.resolve("broken.png"), "this is not a PNG");
        byte[] png = Files.readAllBytes(input.resolve("normal_0.png"));
        Files.write(input.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));

        reference = dir.resolve("reference");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(log, true, StandardCharsets.UTF_8);
        int code = new Main(p, p, CancellationToken.none()).run("detect", "--model", model.toString(), "--input",
                input.toString(), "--output", reference.toString(), "--masks", "--device", "cpu");
        assertEquals(Main.OK, code, log.toString(StandardCharsets.UTF_8));

        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,3]").setAppName("utad-spark-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.local.dir", dir.resolve("spark").toString()));
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.close();
        }
    }

    private static FloatImage to8bit(FloatImage img) {
        float[] d = img.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.round(d[i] * 255f);
        }
        return new FloatImage(img.width(), img.height(), img.channels(), d, 8, img.name(), img.calibration());
    }

    private static JobRequest request(String output) {
        return JobRequest.of(model, input, dir.resolve(output)).withMasks(true);
    }

    private static JobSummary run(JobRequest r, TaskObserver observer) {
        SEEN.clear();
        return DetectionJob.run(sc, r, (file, attempt) -> {
            SEEN.add(Path.of(file).getFileName() + "#" + attempt);
            observer.beforeImage(file, attempt);
        });
    }

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The output holds exactly the reference's files, byte for byte, plus the run summary. */
    private static void assertSameAsBinUtadDetect(Path out) throws IOException {
        Set<String> expected = names(reference);
        Set<String> actual = names(out);
        assertTrue(actual.remove(JobOutput.SUMMARY), "summary.txt is written: " + actual);
        assertEquals(expected, actual, "no part folder, temporary file or missing result may remain");
        for (String name : expected) {
            assertArrayEquals(Files.readAllBytes(reference.resolve(name)), Files.readAllBytes(out.resolve(name)),
                    name + " differs from bin/utad detect's");
        }
    }

    @Test
    void oneTaskOrManyGiveTheTableAndFilesOfBinUtadDetect() throws IOException {
        JobSummary one = run(request("one-task").withSplit(1, JobRequest.DEFAULT_COMMIT_EVERY), TaskObserver.NONE);
        assertSameAsBinUtadDetect(dir.resolve("one-task"));
        assertEquals(1, one.tasks());
        JobSummary many = run(request("many-tasks").withSplit(6, 1), TaskObserver.NONE);
        assertSameAsBinUtadDetect(dir.resolve("many-tasks"));
        assertEquals(6, many.tasks());
        List<String> rows = Files.readAllLines(reference.resolve(BatchDetection.CSV));
        assertEquals(rows.size() - 1, many.images() + many.failed());
        assertEquals(2, many.failed());
        assertEquals(goodFiles.size() + 1, many.images(), "the two slices of the stack are two images");
        assertEquals(15, many.files());
        String summary = Files.readString(dir.resolve("many-tasks").resolve(JobOutput.SUMMARY));
        assertTrue(summary.contains("images: " + many.images()) && summary.contains("failed: 2")
                && summary.contains("images_per_second: "), summary);
    }

    @Test
    void corruptImagesAmongGoodOnesBecomeFailedRowsWithTheirReasonAndTheJobGoesOn() {
        JobSummary s = run(request("corrupt"), TaskObserver.NONE);
        Map<String, List<ScoresCsv.Line>> byFile = ScoresCsv.read(s.csv()).stream()
                .collect(Collectors.groupingBy(l -> l.row().file()));
        ScoresCsv.Line broken = byFile.get("broken.png").get(0);
        assertEquals("error", broken.row().verdict());
        assertTrue(broken.row().error().contains("broken.png") && broken.row().error().contains("not a TIFF, PNG"),
                broken.row().error());
        ScoresCsv.Line truncated = byFile.get("truncated.png").get(0);
        assertEquals("error", truncated.row().verdict());
        assertTrue(truncated.row().error().contains("truncated.png"), truncated.row().error());
        for (String good : goodFiles) {
            for (ScoresCsv.Line l : byFile.get(good)) {
                assertTrue(l.row().error().isEmpty() && Double.isFinite(l.row().score()), l.text());
                assertTrue(l.row().verdict().equals("normal") || l.row().verdict().equals("anomalous"), l.text());
            }
        }
        assertEquals(2, byFile.get("stack.tif").size());
        assertFalse(Files.exists(dir.resolve("corrupt").resolve("broken" + BatchDetection.HEATMAP_SUFFIX)));
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheOutputIsCompleteAndIdentical() throws IOException {
        FAILED_ONCE.clear();
        JobSummary s = run(request("retried").withSplit(3, 1), (file, attempt) -> {
            if (file.endsWith("normal_2.png") && attempt == 0 && FAILED_ONCE.add(file)) {
                throw new IllegalStateException("planted failure of the first attempt at " + file);
            }
        });
        assertEquals(1, FAILED_ONCE.size(), "the planted failure happened");
        assertTrue(SEEN.contains("normal_2.png#1"), "the failed task ran again as attempt 1: " + SEEN);
        assertTrue(SEEN.stream().filter(x -> x.endsWith("#1")).count() > 1,
                "the retry redid the task's images before the failing one too: " + SEEN);
        assertEquals(3, s.tasks());
        assertSameAsBinUtadDetect(dir.resolve("retried"));
    }

    @Test
    void aJobSparkGivesUpOnKeepsWhatWasCommittedAndTheNextRunCompletesIt() throws IOException {
        JobRequest r = request("given-up").withSplit(3, 1);
        DetectionJob.JobFailedException e = assertThrows(DetectionJob.JobFailedException.class, () -> run(r,
                (file, attempt) -> {
                    if (file.endsWith("normal_2.png")) {
                        throw new IllegalStateException("planted failure of every attempt at " + file);
                    }
                }));
        assertTrue(e.getMessage().contains("planted failure") && e.getMessage().contains("run the same command again"),
                e.getMessage());
        List<ScoresCsv.Line> kept = ScoresCsv.read(dir.resolve("given-up").resolve(BatchDetection.CSV));
        Set<String> keptFiles = kept.stream().map(l -> l.row().file()).collect(Collectors.toSet());
        assertFalse(keptFiles.contains("normal_2.png"), "its row was never committed");
        assertTrue(keptFiles.containsAll(List.of("normal_0.png", "normal_1.png")),
                "the images its task committed before failing are kept: " + keptFiles);
        JobSummary s = run(r, TaskObserver.NONE);
        assertTrue(s.alreadyDone() >= 2, "the kept images are not redone: " + s.text());
        assertSameAsBinUtadDetect(dir.resolve("given-up"));
    }

    @Test
    void aRerunSkipsWhatIsDoneRetriesFailedFilesAndRedoesAllOnlyWhenAskedTo() throws IOException {
        JobSummary first = run(request("rerun"), TaskObserver.NONE);
        assertEquals(0, first.alreadyDone());
        JobSummary again = run(request("rerun"), TaskObserver.NONE);
        assertEquals(goodFiles.size(), again.alreadyDone());
        assertEquals(Set.of("broken.png#0", "truncated.png#0"), new TreeSet<>(SEEN),
                "only the failed files are tried again");
        assertSameAsBinUtadDetect(dir.resolve("rerun"));
        JobSummary all = run(request("rerun").withOverwrite(true), TaskObserver.NONE);
        assertEquals(0, all.alreadyDone());
        assertEquals(15, all.files());
        assertSameAsBinUtadDetect(dir.resolve("rerun"));
    }

    @Test
    void theModelIsReadOncePerExecutorNotPerTaskOrImage() {
        for (String out : new String[] {"reads-1", "reads-2"}) {
            JobSummary s = run(request(out).withSplit(8, 1), TaskObserver.NONE);
            assertEquals(8, s.tasks());
            assertEquals(Map.of("driver", 1), s.modelReads(),
                    "local mode has one executor, the driver; over 8 tasks and two jobs it read the model once");
            assertTrue(s.text().contains("Model read once on each of 1 executor(s)."), s.text());
        }
    }

    @Test
    void aKilledJobResumesWithoutRedoingCommittedImages() throws Exception {
        Path out = dir.resolve("killed");
        Path parts = out.resolve(JobOutput.PARTS);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+Ignore") || a.startsWith("-Dio.netty")
                        || a.startsWith("-Djdk.reflect") || a.startsWith("-Dai.djl") || a.startsWith("-Dutad"))
                .collect(Collectors.toList());
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx1g", "-Djava.awt.headless=true"));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SlowJob.class.getName(),
                model.toString(), input.toString(), out.toString()));
        Path log = dir.resolve("killed-child.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline && child.isAlive() && partCount(parts) < 3) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), "the job must still be running when it is killed: " + Files.readString(log));
        child.destroyForcibly().waitFor(60, TimeUnit.SECONDS);

        Set<String> committed = new TreeSet<>();
        for (String name : names(parts)) {
            if (name.endsWith(".csv") && !name.startsWith(".")) {
                ScoresCsv.read(parts.resolve(name)).stream().filter(l -> !l.row().verdict().equals("error"))
                        .forEach(l -> committed.add(l.row().file()));
            }
        }
        assertFalse(committed.isEmpty(), "some images were committed before the kill");
        assertTrue(committed.size() < goodFiles.size(), "the kill came before the end: " + committed);

        JobSummary resumed = run(request("killed"), TaskObserver.NONE);
        assertEquals(committed.size(), resumed.alreadyDone());
        for (String file : committed) {
            assertFalse(SEEN.contains(file + "#0"), file + " was committed before the kill and must not be redone");
        }
        assertEquals(15 - committed.size(), resumed.files());
        assertSameAsBinUtadDetect(out);
    }

    private static int partCount(Path parts) throws IOException {
        if (!Files.isDirectory(parts)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(parts)) {
            return (int) s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }
}
