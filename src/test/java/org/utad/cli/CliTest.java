package org.utad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.TestModels;
import org.utad.api.BatchDetection;
import org.utad.core.CancellationToken;
import org.utad.core.CancelledException;
import org.utad.data.SyntheticImages;
import org.utad.engine.Engines;
import org.utad.imagej.IjImageLoader;
import org.utad.imagej.IjImageSaver;
import org.utad.imagej.ImageWriter;
import org.utad.infer.Detector;

/**
 * The command line end to end (train, detect, evaluate, info) on generated images in the MVTec-AD
 * layout, its exit codes for bad input, and batch detection's behaviour on unreadable files,
 * existing outputs and cancellation.
 */
class CliTest {
    @TempDir
    static Path dir;
    private static Path data;
    private static Path model;
    private static String trainLog;

    /** The tiny test configuration as command-line overrides. */
    private static final String[] TINY = {"--set", "image_size=32", "--set", "ie_net.filters=16",
        "--set", "expert_net.dim=8", "--set", "expert_net.n_downsample=1", "--set", "expert_net.n_res=1",
        "--set", "expert_net.detail_dim=4", "--set", "expert_net.mlp_dim=16", "--set", "expert_net.mlp_layers=2",
        "--set", "stage1.iterations=40", "--set", "stage2.iterations=20", "--set", "stage1.batch_size=4",
        "--set", "stage2.batch_size=2", "--set", "stage1.discriminator.dim=8", "--set", "stage1.discriminator.layers=2",
        "--set", "stage2.discriminator.dim=8", "--set", "stage2.discriminator.layers=2", "--set", "detect.random_codes=2",
        "--set", "detect.residual=l2", "--set", "detect.tile_size=0", "--set", "validation_fraction=0.25"};

    private static final class Run {
        final int code;
        final String out;
        final String err;

        Run(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), CancellationToken.none()).run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void trainThroughTheCli() throws Exception {
        Engines.offline();
        data = dir.resolve("data");
        SyntheticImages gen = new SyntheticImages(9);
        for (int i = 0; i < 8; i++) {
            ImageWriter.writePng8(gen.normal(i, 48, 48, 1), data.resolve("train/good/" + i + ".png"), false);
        }
        Files.writeString(data.resolve("train/good/notes.txt"), "not an image");
        for (int i = 0; i < 4; i++) {
            ImageWriter.writePng8(gen.normal(100 + i, 48, 48, 1), data.resolve("test/good/g" + i + ".png"), false);
            SyntheticImages.Defective d = gen.defective(200 + i, 48, 48, 1, SyntheticImages.Defect.HOLE);
            ImageWriter.writePng8(d.image(), data.resolve("test/hole/h" + i + ".png"), false);
            ImageWriter.writeMaskPng(d.mask(), 48, 48, data.resolve("ground_truth/hole/h" + i + "_mask.png"), false);
        }
        model = dir.resolve("cli.utad");
        List<String> args = new ArrayList<>(List.of("train", "--images", data.resolve("train/good").toString(),
                "--model", model.toString(), "--device", "cpu", "--skip-bad"));
        args.addAll(List.of(TINY));
        Run r = cli(args.toArray(String[]::new));
        trainLog = r.out + r.err;
        assertEquals(Main.OK, r.code, trainLog);
    }

    @Test
    void trainDetectEvaluateAndInfoWorkEndToEnd() throws Exception {
        assertTrue(trainLog.contains("skipped 1") && trainLog.contains("notes.txt"), trainLog);
        assertTrue(trainLog.contains("Model written to"), trainLog);
        Path out = dir.resolve("detect-out");
        Run d = cli("detect", "--model", model.toString(), "--input", data.resolve("test/hole").toString(), "--output",
                out.toString(), "--masks", "--device", "cpu");
        assertEquals(Main.OK, d.code, d.out + d.err);
        List<String> csv = Files.readAllLines(out.resolve(BatchDetection.CSV));
        assertEquals(5, csv.size(), String.join("\n", csv));
        assertTrue(Files.exists(out.resolve("h0" + BatchDetection.HEATMAP_SUFFIX)));
        assertTrue(Files.exists(out.resolve("h0" + BatchDetection.MASK_SUFFIX)));
        assertEquals(48, new IjImageLoader().load(out.resolve("h0" + BatchDetection.HEATMAP_SUFFIX)).get(0).width());

        Run e = cli("evaluate", "--model", model.toString(), "--data", data.toString(), "--output",
                dir.resolve("eval").toString(), "--device", "cpu");
        assertEquals(Main.OK, e.code, e.out + e.err);
        assertTrue(e.out.contains("image AUROC"), e.out);
        assertTrue(Files.readString(dir.resolve("eval/metrics.csv")).contains("hole"));
        assertEquals(9, Files.readAllLines(dir.resolve("eval/image_scores.csv")).size());

        Run i = cli("info", "--model", model.toString());
        assertEquals(Main.OK, i.code);
        assertTrue(i.out.contains("Thresholds: image"), i.out);
    }

    @Test
    void resumeAloneTakesTheCheckpointsSettingsAndOtherSettingsAreRefused() throws Exception {
        Path again = dir.resolve("again.utad");
        Files.copy(dir.resolve("cli.utad.checkpoint"), dir.resolve("again.utad.checkpoint"));
        String images = data.resolve("train/good").toString();
        List<String> args = new ArrayList<>(List.of("train", "--images", images, "--model", again.toString(), "--device",
                "cpu", "--skip-bad", "--resume"));
        args.addAll(List.of(TINY));
        args.addAll(List.of("--set", "stage1.iterations=41"));
        Run changed = cli(args.toArray(String[]::new));
        assertEquals(Main.INVALID_INPUT, changed.code, changed.out + changed.err);
        assertTrue(changed.err.contains("stage1.iterations: 40 (now 41)"), changed.err);
        assertFalse(Files.exists(again), "a refused resume writes no model");
        Run alone = cli("train", "--images", images, "--model", again.toString(), "--device", "cpu", "--skip-bad",
                "--resume");
        assertEquals(Main.OK, alone.code, alone.out + alone.err);
        assertTrue(alone.out.contains("settings the run started with"), alone.out);
        assertTrue(Files.exists(again));
    }

    @Test
    void exitCodesSayWhatKindOfProblemItWas() throws Exception {
        assertEquals(Main.USAGE, cli().code);
        assertEquals(Main.USAGE, cli("frobnicate").code);
        Run unknown = cli("detect", "--model", model.toString(), "--colour", "red");
        assertEquals(Main.USAGE, unknown.code);
        assertTrue(unknown.err.contains("Unknown option --colour"), unknown.err);
        Run missing = cli("detect", "--model", model.toString());
        assertEquals(Main.USAGE, missing.code);
        assertTrue(missing.err.contains("--input"), missing.err);
        Run badKey = cli("train", "--images", data.resolve("train/good").toString(), "--model",
                dir.resolve("x.utad").toString(), "--set", "stage1.iters=3");
        assertEquals(Main.USAGE, badKey.code);
        assertTrue(badKey.err.contains("stage1.iterations"), badKey.err);
        Run noModel = cli("detect", "--model", dir.resolve("absent.utad").toString(), "--input",
                data.resolve("test/good").toString(), "--output", dir.resolve("o").toString());
        assertEquals(Main.INVALID_INPUT, noModel.code);
        assertTrue(noModel.err.contains("does not exist"), noModel.err);
        Run exists = cli("train", "--images", data.resolve("train/good").toString(), "--model", model.toString());
        assertEquals(Main.INVALID_INPUT, exists.code);
        assertTrue(exists.err.contains("already exists"), exists.err);
        Path fewer = dir.resolve("two");
        Files.createDirectories(fewer);
        Files.copy(data.resolve("train/good/0.png"), fewer.resolve("0.png"));
        Run tooFew = cli("train", "--images", fewer.toString(), "--model", dir.resolve("y.utad").toString());
        assertEquals(Main.INVALID_INPUT, tooFew.code);
        assertTrue(tooFew.err.contains("at least 3"), tooFew.err);
        assertFalse(Files.exists(dir.resolve("y.utad")));
    }

    @Test
    void batchDetectionRecordsBadFilesRefusesToOverwriteAndLeavesAValidCsvWhenCancelled() throws Exception {
        Path in = dir.resolve("mixed");
        Files.createDirectories(in);
        for (int i = 0; i < 4; i++) {
            Files.copy(data.resolve("test/good/g" + i + ".png"), in.resolve("g" + i + ".png"));
        }
        Files.writeString(in.resolve("broken.png"), "this is not a PNG");
        Path out = dir.resolve("mixed-out");
        try (Detector d = Detector.load(model, ai.djl.Device.cpu())) {
            BatchDetection.Summary s = BatchDetection.run(d, in, out, d.defaultOptions(), false, false,
                    new IjImageLoader(), new IjImageSaver(), e -> { }, CancellationToken.none());
            assertEquals(1, s.failed());
            assertEquals(5, s.rows().size());
            String csv = Files.readString(out.resolve(BatchDetection.CSV));
            assertTrue(csv.contains("broken.png,,,error"), csv);

            var again = assertThrows(org.utad.core.InvalidInputException.class, () -> BatchDetection.run(d, in, out,
                    d.defaultOptions(), false, false, new IjImageLoader(), new IjImageSaver(), e -> { },
                    CancellationToken.none()));
            assertTrue(again.getMessage().contains("already holds"), again.getMessage());

            Path cancelled = dir.resolve("cancelled-out");
            CancellationToken token = new CancellationToken();
            AtomicInteger done = new AtomicInteger();
            assertThrows(CancelledException.class, () -> BatchDetection.run(d, in, cancelled, d.defaultOptions(),
                    false, false, new IjImageLoader(), new IjImageSaver(), e -> {
                        if (e.totalSteps() > 0 && done.incrementAndGet() == 2) {
                            token.cancel();
                        }
                    }, token));
            List<String> rows = Files.readAllLines(cancelled.resolve(BatchDetection.CSV));
            // Several images run at once on the CPU: the ones in flight when the token was cancelled
            // finish and are listed too, the ones not yet started are not.
            assertTrue(rows.size() >= 3 && rows.size() < 6,
                    "header, the two finished images and those in flight, not all five: " + rows);
            for (String row : rows.subList(1, rows.size())) {
                if (row.contains(",error,")) {
                    continue;
                }
                String stem = row.substring(0, row.indexOf('.'));
                assertTrue(Files.size(cancelled.resolve(stem + BatchDetection.HEATMAP_SUFFIX)) > 48 * 48 * 4);
            }
        }
    }

    @Test
    void shardsOfAnArrayJobMergeIntoTheTableOfOneRun() throws Exception {
        Path in = dir.resolve("shard-in");
        Files.createDirectories(in);
        for (int i = 0; i < 4; i++) {
            Files.copy(data.resolve("test/good/g" + i + ".png"), in.resolve("g" + i + ".png"));
            Files.copy(data.resolve("test/hole/h" + i + ".png"), in.resolve("h" + i + ".png"));
        }
        Files.writeString(in.resolve("broken.png"), "this is not a PNG");
        Path whole = dir.resolve("shard-whole");
        Run one = cli("detect", "--model", model.toString(), "--input", in.toString(), "--output", whole.toString(),
                "--masks", "--device", "cpu");
        assertEquals(Main.OK, one.code, one.out + one.err);

        Path parts = dir.resolve("shard-parts");
        for (int i : new int[] {3, 1}) {
            Run r = cli("detect", "--model", model.toString(), "--input", in.toString(), "--output", parts.toString(),
                    "--masks", "--device", "cpu", "--shard", i + "/3");
            assertEquals(Main.OK, r.code, r.out + r.err);
        }
        assertEquals(1 + 3, Files.readAllLines(parts.resolve("scores.part-1-of-3.csv")).size(),
                "shard 1/3 of 9 files takes files 1, 4 and 7 in name order");
        try (var left = Files.list(parts)) {
            assertTrue(left.noneMatch(p -> p.toString().endsWith(".partial")), "finished shards keep no .partial table");
        }
        Files.writeString(parts.resolve("scores.part-2-of-3.csv.partial"), "file,image,score,verdict,regions,error\n");
        Run early = cli("merge-scores", "--output", parts.toString());
        assertEquals(Main.INVALID_INPUT, early.code);
        assertTrue(early.err.contains("2/3 (interrupted") && early.err.contains("--shard"), early.err);
        assertFalse(Files.exists(parts.resolve(BatchDetection.CSV)));

        Run refused = cli("detect", "--model", model.toString(), "--input", in.toString(), "--output",
                parts.toString(), "--masks", "--device", "cpu", "--shard", "2/3");
        assertEquals(Main.INVALID_INPUT, refused.code, "an interrupted shard's leftovers need --overwrite");
        Run last = cli("detect", "--model", model.toString(), "--input", in.toString(), "--output", parts.toString(),
                "--masks", "--device", "cpu", "--shard", "2/3", "--overwrite");
        assertEquals(Main.OK, last.code, last.out + last.err);
        Run merged = cli("merge-scores", "--output", parts.toString());
        assertEquals(Main.OK, merged.code, merged.out + merged.err);
        assertTrue(merged.out.contains("8 images") && merged.out.contains("1 failed"), merged.out);
        assertEquals(Files.readString(whole.resolve(BatchDetection.CSV)), Files.readString(parts.resolve(BatchDetection.CSV)));
        for (int i = 0; i < 4; i++) {
            for (String name : new String[] {"g" + i + BatchDetection.HEATMAP_SUFFIX, "h" + i + BatchDetection.MASK_SUFFIX}) {
                assertArrayEquals(Files.readAllBytes(whole.resolve(name)), Files.readAllBytes(parts.resolve(name)), name);
            }
        }
        assertEquals(Main.INVALID_INPUT, cli("merge-scores", "--output", parts.toString()).code,
                "an existing scores.csv is only replaced with --overwrite");
        assertEquals(Main.OK, cli("merge-scores", "--output", parts.toString(), "--overwrite").code);

        Run bad = cli("detect", "--model", model.toString(), "--input", in.toString(), "--output", parts.toString(),
                "--shard", "4/3");
        assertEquals(Main.USAGE, bad.code);
        assertTrue(bad.err.contains("1 <= i <= n"), bad.err);
        Files.writeString(parts.resolve("scores.part-1-of-2.csv"), "file,image,score,verdict,regions,error\n");
        Run mixed = cli("merge-scores", "--output", parts.toString(), "--overwrite");
        assertEquals(Main.INVALID_INPUT, mixed.code);
        assertTrue(mixed.err.contains("different splits"), mixed.err);
    }
}
