package org.utad.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.TestModels;
import org.utad.config.Mode;
import org.utad.core.CancellationToken;
import org.utad.core.CancelledException;
import org.utad.core.ImageLoader;
import org.utad.core.ProgressListener;
import org.utad.data.ImageFolder;
import org.utad.data.SyntheticImages;
import org.utad.engine.DeviceChoice;
import org.utad.engine.Engines;
import org.utad.imagej.IjImageLoader;
import org.utad.imagej.IjImageSaver;
import org.utad.imagej.ImageWriter;
import org.utad.infer.Detector;

/**
 * Folder detection with several images at once on the CPU: the same rows, in the folder's order, and
 * the same files as one image at a time; an unreadable file keeps its place; the intra-op thread count
 * is set back; a cancelled run lists exactly the files whose outputs exist.
 */
class BatchDetectionTest {
    @TempDir
    static Path dir;
    private static Detector detector;
    private static Path folder;
    private static int threadsBefore;

    @BeforeAll
    static void trainAndWriteImages() throws IOException {
        Engines.offline();
        threadsBefore = Engines.intraOpThreads();
        Path model = dir.resolve("batch.utad");
        Utad.train(new TrainParams(TestModels.normals(5, 8, 48, 48), TestModels.tiny(32, Mode.PATCH, 30, 20), model,
                false, DeviceChoice.CPU, false), ProgressListener.NONE, CancellationToken.none());
        detector = Detector.load(model, Device.cpu());
        folder = Files.createDirectories(dir.resolve("in"));
        SyntheticImages gen = new SyntheticImages(5);
        for (int i = 0; i < 6; i++) {
            ImageWriter.writePng8(gen.normal(300 + i, 48, 48, 1), folder.resolve(String.format("img%d.png", i)), false);
        }
        Files.writeString(folder.resolve("img3b.png"), "not an image");
    }

    @AfterAll
    static void close() {
        detector.close();
        Engines.setIntraOpThreads(threadsBefore);
    }

    private static BatchDetection.Summary detect(Path out, ProgressListener listener, CancellationToken cancel) {
        return BatchDetection.run(detector, folder, out, detector.defaultOptions(), false, false, new IjImageLoader(),
                new IjImageSaver(), listener, cancel);
    }

    @Test
    void severalAtOnceGiveTheRowsAndFilesOfOneAtATimeInTheFoldersOrder() throws Exception {
        List<Path> files = ImageFolder.imageFiles(folder);
        assertEquals(7, files.size());
        Engines.setIntraOpThreads(1);
        assertEquals(1, BatchDetection.imagesInFlight(detector, files, Engines.intraOpThreads()));
        BatchDetection.Summary one = detect(dir.resolve("one"), ProgressListener.NONE, CancellationToken.none());
        Engines.setIntraOpThreads(2);
        assertEquals(2, BatchDetection.imagesInFlight(detector, files, Engines.intraOpThreads()));
        BatchDetection.Summary two = detect(dir.resolve("two"), ProgressListener.NONE, CancellationToken.none());

        assertEquals(1, one.failed());
        assertEquals(1, two.failed());
        assertEquals(one.rows().size(), two.rows().size());
        for (int i = 0; i < one.rows().size(); i++) {
            BatchDetection.Row a = one.rows().get(i);
            BatchDetection.Row b = two.rows().get(i);
            assertEquals(a.file(), b.file(), "row " + i + " in the folder's order");
            assertEquals(a.verdict(), b.verdict(), a.file());
            assertEquals(a.error(), b.error(), a.file());
            if (!Double.isNaN(a.score())) {
                // One or two intra-op threads change a map's last float bits, nothing more.
                assertEquals(a.score(), b.score(), 1e-4 * Math.abs(a.score()) + 1e-7, a.file());
                assertTrue(Files.exists(dir.resolve("two").resolve(BatchDetection.baseName(Path.of(a.file()))
                        + BatchDetection.HEATMAP_SUFFIX)), a.file());
            }
        }
        assertEquals(Files.readAllLines(one.csv()).size(), Files.readAllLines(two.csv()).size());

        // The workers ran on one thread each; the caller's count, and the count a new thread starts with,
        // are back at two.
        assertEquals(2, Engines.intraOpThreads());
        AtomicInteger fresh = new AtomicInteger();
        Thread t = new Thread(() -> fresh.set(Engines.intraOpThreads()));
        t.start();
        t.join();
        assertEquals(2, fresh.get());
    }

    @Test
    void oneAtATimeForLargeFilesASingleFileOrOneThread() throws IOException {
        List<Path> files = ImageFolder.imageFiles(folder);
        assertEquals(1, BatchDetection.imagesInFlight(detector, files.subList(0, 1), 2));
        assertEquals(1, BatchDetection.imagesInFlight(detector, files, 1));
        assertEquals(4, BatchDetection.imagesInFlight(detector, files, 4));
        assertEquals(2, BatchDetection.imagesInFlight(detector, files.subList(0, 2), 4), "never more than the files");
        Path large = Files.createDirectories(dir.resolve("large")).resolve("big.tif");
        try (RandomAccessFile f = new RandomAccessFile(large.toFile(), "rw")) {
            f.setLength(BatchDetection.PARALLEL_FILE_BYTES + 1);
        }
        assertEquals(1, BatchDetection.imagesInFlight(detector, List.of(files.get(0), large), 2));
    }

    @Test
    void aCancelledRunListsExactlyTheFilesWhoseOutputsExist() throws Exception {
        Engines.setIntraOpThreads(2);
        CancellationToken cancel = new CancellationToken();
        Path out = dir.resolve("cancelled");
        CancelledException e = assertThrows(CancelledException.class, () -> detect(out, event -> {
            if (event.totalSteps() > 0) {
                cancel.cancel();
            }
        }, cancel));
        List<String> table = Files.readAllLines(out.resolve(BatchDetection.CSV));
        int listed = table.size() - 1;
        assertTrue(listed >= 1 && listed < 7, "rows listed after cancelling: " + listed);
        assertTrue(e.getMessage().contains("after " + listed + " of 7 files"), e.getMessage());
        long heatmaps;
        try (var s = Files.list(out)) {
            heatmaps = s.filter(p -> p.toString().endsWith(BatchDetection.HEATMAP_SUFFIX)).count();
        }
        assertEquals(heatmaps, table.stream().skip(1).filter(l -> !l.contains("error")).count(),
                "every listed image has its heatmap, and no other heatmap was written");
        assertEquals(2, Engines.intraOpThreads());
    }

    @Test
    void anInterruptedRunListsTheImagesThatWereInFlight() throws Exception {
        Engines.setIntraOpThreads(2);
        Path out = dir.resolve("interrupted");
        CancelledException e = assertThrows(CancelledException.class, () -> detect(out, event -> {
            if (event.totalSteps() > 0) {
                Thread.currentThread().interrupt();
            }
        }, CancellationToken.none()));
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
        assertListsExactlyTheHeatmaps(out);
        assertEquals(2, Engines.intraOpThreads());
    }

    @Test
    void aWorkersInternalErrorReachesTheCallerAfterTheTableListsTheImagesInFlight() throws Exception {
        Engines.setIntraOpThreads(2);
        Path out = dir.resolve("failed");
        IjImageLoader images = new IjImageLoader();
        ImageLoader failing = file -> {
            if (file.getFileName().toString().equals("img2.png")) {
                throw new IllegalStateException("internal error on img2");
            }
            return images.load(file);
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BatchDetection.run(detector,
                folder, out, detector.defaultOptions(), false, false, failing, new IjImageSaver(),
                ProgressListener.NONE, CancellationToken.none()));
        assertEquals("internal error on img2", e.getMessage());
        List<String> table = assertListsExactlyTheHeatmaps(out);
        assertTrue(table.stream().noneMatch(l -> l.startsWith("img2.png")), String.join("\n", table));
        assertEquals(2, Engines.intraOpThreads());
    }

    /** Asserts that the table lists an image exactly when its heatmap exists, and returns its lines. */
    private static List<String> assertListsExactlyTheHeatmaps(Path out) throws IOException {
        List<String> table = Files.readAllLines(out.resolve(BatchDetection.CSV));
        List<String> heatmaps;
        try (var s = Files.list(out)) {
            heatmaps = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(BatchDetection.HEATMAP_SUFFIX))
                    .map(n -> n.substring(0, n.length() - BatchDetection.HEATMAP_SUFFIX.length()) + ".png")
                    .sorted().toList();
        }
        List<String> listed = table.stream().skip(1).filter(l -> !l.contains("error"))
                .map(l -> l.substring(0, l.indexOf(','))).sorted().toList();
        assertFalse(heatmaps.isEmpty(), "some images were done");
        assertEquals(heatmaps, listed, "the table lists exactly the images whose heatmaps exist");
        return table;
    }
}
