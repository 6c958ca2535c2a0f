package org.utad.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.core.FloatImage;
import org.utad.data.FolderReadResult;
import org.utad.data.ImageFolder;

class DemoDataWriterTest {
    @TempDir
    static Path tmp;

    private static Path first;
    private static Path second;
    private static List<Path> written;

    @BeforeAll
    static void generateTwice() {
        first = tmp.resolve("one");
        second = tmp.resolve("two");
        written = DemoDataWriter.write(first, false);
        DemoDataWriter.write(second, false);
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().collect(Collectors.toList());
        }
    }

    private static int count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.count();
        }
    }

    @Test
    void twoRunsGiveByteIdenticalFiles() throws IOException {
        List<Path> a = files(first);
        assertEquals(a, files(second));
        assertEquals(written.size(), a.size());
        for (String rel : new String[] {"texture/train/good/000.png", "texture/test/blob/003.png",
                "texture/ground_truth/scratch/001_mask.png", "texture_rgb/test/hole/001.png",
                "microscopy_stack.tif", "README.md"}) {
            assertArrayEquals(Files.readAllBytes(first.resolve(rel)), Files.readAllBytes(second.resolve(rel)), rel);
        }
    }

    @Test
    void layoutFollowsMvtecWithTheAgreedCounts() throws IOException {
        Path t = first.resolve("texture");
        assertEquals(40, count(t.resolve("train/good")));
        assertEquals(8, count(t.resolve("test/good")));
        Path c = first.resolve("texture_rgb");
        assertEquals(24, count(c.resolve("train/good")));
        assertEquals(4, count(c.resolve("test/good")));
        for (String defect : new String[] {"scratch", "blob", "hole", "contamination"}) {
            assertEquals(4, count(t.resolve("test").resolve(defect)), defect);
            assertEquals(4, count(t.resolve("ground_truth").resolve(defect)), defect);
            assertEquals(2, count(c.resolve("test").resolve(defect)), defect);
            assertTrue(Files.exists(c.resolve("ground_truth").resolve(defect).resolve("001_mask.png")), defect);
        }
        long total = 0;
        for (Path p : files(first)) {
            total += Files.size(first.resolve(p));
        }
        assertTrue(total < 5_000_000, "demo data must stay small, is " + total + " bytes");
    }

    @Test
    void imagesReadBackAsGreyAndRgbWithMasksMarkingTheDefect() {
        IjImageLoader loader = new IjImageLoader();
        FolderReadResult grey = ImageFolder.read(first.resolve("texture/train/good"), loader, true);
        assertEquals(40, grey.images().size());
        assertTrue(grey.skipped().isEmpty());
        FloatImage g = grey.images().get(0);
        assertEquals(1, g.channels());
        assertEquals(8, g.bitDepth());
        assertEquals(DemoDataWriter.SIZE, g.width());

        FloatImage rgb = loader.load(first.resolve("texture_rgb/test/good/000.png")).get(0);
        assertEquals(3, rgb.channels());

        FloatImage mask = loader.load(first.resolve("texture/ground_truth/hole/000_mask.png")).get(0);
        FloatImage defective = loader.load(first.resolve("texture/test/hole/000.png")).get(0);
        int on = 0;
        double insideMean = 0;
        for (int i = 0; i < mask.data().length; i++) {
            float m = mask.data()[i];
            assertTrue(m == 0 || m == 255, "mask values must be 0 or 255, got " + m);
            if (m == 255) {
                on++;
                insideMean += defective.data()[i];
            }
        }
        assertTrue(on > 20 && on < mask.data().length / 4, "hole mask covers " + on + " pixels");
        assertTrue(insideMean / on < 10, "a hole is dark, mean inside mask " + insideMean / on);
    }

    @Test
    void microscopyStackIsCalibratedSixteenBitWithMicroscopeLikeRange() {
        List<FloatImage> slices = new IjImageLoader().load(first.resolve("microscopy_stack.tif"));
        assertEquals(8, slices.size());
        float min = Float.MAX_VALUE;
        float max = 0;
        for (FloatImage s : slices) {
            assertEquals(16, s.bitDepth());
            assertEquals(128, s.width());
            assertEquals(0.65, s.calibration().pixelWidth(), 1e-6);
            assertEquals("micron", s.calibration().unit());
            for (float v : s.data()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertTrue(min >= 0 && min < 5000, "min " + min);
        assertTrue(max > 30000 && max <= 40000, "max " + max);
        List<FloatImage> expected = DemoDataWriter.microscopyStack();
        assertArrayEquals(expected.get(6).data(), slices.get(6).data());
        assertEquals("blob_7", expected.get(6).name());
    }

    @Test
    void committedTestDataMatchesTheGeneratorPixelForPixel() throws IOException {
        Path committed = Path.of("test-data");
        assumeTrue(Files.isDirectory(committed), "no committed test-data/ folder in the working directory");
        assertEquals(files(first), files(committed),
                "test-data/ is out of date: regenerate it with org.utad.imagej.DemoDataWriter (see test-data/README.md)");
        IjImageLoader loader = new IjImageLoader();
        for (Path rel : files(first)) {
            if (!rel.toString().endsWith(".md")) {
                List<FloatImage> fresh = loader.load(first.resolve(rel));
                List<FloatImage> old = loader.load(committed.resolve(rel));
                assertEquals(fresh, old, "test-data/" + rel + " is out of date: regenerate it (see test-data/README.md)");
            }
        }
        assertEquals(Files.readString(first.resolve("README.md")), Files.readString(committed.resolve("README.md")));
    }
}
