package org.utad.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.TestModels;
import org.utad.config.Mode;
import org.utad.core.CancellationToken;
import org.utad.core.ProgressListener;
import org.utad.data.SyntheticImages;
import org.utad.engine.DeviceChoice;
import org.utad.engine.Engines;
import org.utad.imagej.IjImageLoader;
import org.utad.imagej.IjImageSaver;
import org.utad.imagej.ImageWriter;
import org.utad.infer.Detector;

/**
 * The overnight case: one batch detection over 1000 generated images, checking that every image is
 * processed and that the process's resident memory outside the Java heap (native tensors) does not
 * grow with the number of images.
 * Tagged slow: run with {@code mvn -B verify -Pslow}.
 */
@Tag("slow")
class LoadTest {

    /**
     * Resident memory outside the Java heap (native tensors, engine, code): the resident set minus
     * the heap the JVM has committed, which grows to its working size on its own schedule and would
     * otherwise hide or fake a leak.
     */
    private static double nonHeapResidentMegabytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                double rss = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                double heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage()
                        .getCommitted() / (1024.0 * 1024.0);
                return rss - heap;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void thousandImagesInOneRunWithStableMemory(@TempDir Path dir) throws Exception {
        Engines.offline();
        Path model = dir.resolve("load.utad");
        Utad.train(new TrainParams(TestModels.normals(4, 8, 48, 48), TestModels.tiny(32, Mode.PATCH, 30, 20), model,
                false, DeviceChoice.CPU, false), ProgressListener.NONE, CancellationToken.none());
        Path in = Files.createDirectories(dir.resolve("in"));
        SyntheticImages gen = new SyntheticImages(4);
        for (int i = 0; i < 1000; i++) {
            ImageWriter.writePng8(gen.normal(1000 + i, 48, 48, 1), in.resolve(String.format("img%04d.png", i)), false);
        }
        List<Double> rss = new ArrayList<>();
        AtomicInteger seen = new AtomicInteger();
        try (Detector d = Detector.load(model, Device.cpu())) {
            BatchDetection.Summary s = BatchDetection.run(d, in, dir.resolve("out"), d.defaultOptions(), true, false,
                    new IjImageLoader(), new IjImageSaver(), e -> {
                        if (e.totalSteps() > 0 && seen.incrementAndGet() % 100 == 0) {
                            try {
                                rss.add(nonHeapResidentMegabytes());
                            } catch (IOException ex) {
                                throw new IllegalStateException(ex);
                            }
                        }
                    }, CancellationToken.none());
            assertEquals(1000, s.rows().size());
            assertEquals(0, s.failed());
        }
        assertEquals(10, rss.size());
        // The first few hundred images touch the Java heap's pages for the first time (how many varies
        // from run to run); a leak would show as steady growth, so the second half of the run (images
        // 500 to 1000) must stay within 40 MB, which catches a leak of 80 kB per image or more.
        List<Double> late = rss.subList(4, 10);
        double growth = late.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                - late.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        System.out.printf("Resident memory outside the heap every 100 images (MB): %s%n", rss);
        assertTrue(growth < 40, "resident memory outside the heap varied by " + growth + " MB over images 500-1000: "
                + rss);
        assertEquals(1001, Files.readAllLines(dir.resolve("out").resolve(BatchDetection.CSV)).size());
    }
}
