package org.utad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.core.FloatImage;
import org.utad.core.ImageLoader;
import org.utad.core.InvalidInputException;

/**
 * The MVTec-AD layout on a generated temporary folder: the folders it names, the test types it
 * finds, which mask belongs to which test image, and what it says when the layout is wrong.
 */
class DefectDatasetTest {
    private static final int SIZE = 24;

    @TempDir
    Path dir;

    /** What the fake loader returns per file: the masks written below, by path. */
    private final Map<Path, FloatImage> files = new HashMap<>();
    private final ImageLoader loader = file -> {
        FloatImage img = files.get(file);
        if (img == null) {
            throw new InvalidInputException("Cannot read image file " + file);
        }
        return List.of(img);
    };

    private Path touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "x");
    }

    /** Writes a mask file whose pixels are 255 where {@code marked} is true, as PNG masks are. */
    private void putMask(Path file, boolean[] marked, int width, int height) throws IOException {
        touch(file);
        float[] v = new float[marked.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = marked[i] ? 255 : 0;
        }
        files.put(file, new FloatImage(width, height, 1, v, 8, file.getFileName().toString(), null));
    }

    @Test
    void namesTheFoldersOfTheLayout() {
        DefectDataset d = new DefectDataset(dir);
        assertEquals(dir.resolve("train").resolve("good"), d.trainNormal());
        assertEquals(dir.resolve("test").resolve("good"), d.testFolder(DefectDataset.NORMAL));
        assertEquals(dir.resolve("test").resolve("scratch"), d.testFolder("scratch"));
        assertEquals(dir.resolve("ground_truth").resolve("scratch"), d.maskFolder("scratch"));
        assertTrue(DefectDataset.isNormal("good"));
        assertFalse(DefectDataset.isNormal("Good"));
        assertFalse(DefectDataset.isNormal("scratch"));
    }

    @Test
    void findsTheTestTypesInNameOrderAndIgnoresFiles() throws IOException {
        for (String type : List.of("scratch", "good", "blob")) {
            touch(dir.resolve("test").resolve(type).resolve("000.png"));
        }
        touch(dir.resolve("test").resolve("notes.txt"));
        touch(dir.resolve("train").resolve("good").resolve("000.png"));
        DefectDataset d = new DefectDataset(dir);
        assertTrue(d.hasTests());
        assertEquals(List.of("blob", "good", "scratch"), d.testTypes());
        assertEquals(List.of("blob", "good", "scratch"), d.testTypesWithNormal());
    }

    @Test
    void pairsEachTestImageWithItsMaskByStem() throws IOException {
        DefectDataset d = new DefectDataset(dir);
        assertEquals(dir.resolve("ground_truth/hole/007_mask.png"), d.maskFile("hole", Path.of("elsewhere/007.png")));
        assertEquals(dir.resolve("ground_truth/hole/a.b_mask.png"), d.maskFile("hole", Path.of("a.b.tif")));
        assertEquals(dir.resolve("ground_truth/hole/plain_mask.png"), d.maskFile("hole", Path.of("plain")));

        SyntheticImages.Defective planted = new SyntheticImages(5).defective(3, SIZE, SIZE, 1,
                SyntheticImages.Defect.HOLE);
        Path image = touch(d.testFolder("hole").resolve("003.png"));
        putMask(d.maskFile("hole", image), planted.mask(), SIZE, SIZE);
        boolean[] truth = d.mask("hole", image, SIZE, SIZE, loader);
        assertArrayEquals(planted.mask(), truth);
        int marked = 0;
        for (boolean b : truth) {
            marked += b ? 1 : 0;
        }
        assertTrue(marked > 0 && marked < SIZE * SIZE, "the planted hole marks some pixels, not all: " + marked);
    }

    @Test
    void aTestImageWithoutAMaskHasNoGroundTruth() throws IOException {
        DefectDataset d = new DefectDataset(dir);
        Path image = touch(d.testFolder("scratch").resolve("001.png"));
        putMask(d.maskFile("scratch", Path.of("002.png")), new boolean[SIZE * SIZE], SIZE, SIZE);
        assertNull(d.mask("scratch", image, SIZE, SIZE, loader));
    }

    @Test
    void aMaskOfAnotherSizeIsRefusedWithBothSizes() throws IOException {
        DefectDataset d = new DefectDataset(dir);
        Path image = touch(d.testFolder("blob").resolve("000.png"));
        putMask(d.maskFile("blob", image), new boolean[SIZE * 12], SIZE, 12);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> d.mask("blob", image, SIZE, SIZE, loader));
        assertEquals("The mask " + d.maskFile("blob", image) + " is 24x12 but its image is 24x24.", e.getMessage());
    }

    @Test
    void aMissingTestFolderOrNormalTypeSaysWhatTheLayoutIs() throws IOException {
        DefectDataset d = new DefectDataset(dir);
        assertFalse(d.hasTests());
        InvalidInputException noTest = assertThrows(InvalidInputException.class, d::testTypes);
        assertEquals("The dataset " + dir + " has no test/ folder. Expected the MVTec-AD layout: test/good,"
                + " test/<defect>, ground_truth/<defect>/<name>_mask.png.", noTest.getMessage());
        touch(d.testFolder("scratch").resolve("000.png"));
        assertEquals(List.of("scratch"), d.testTypes());
        InvalidInputException noGood = assertThrows(InvalidInputException.class, d::testTypesWithNormal);
        assertEquals("The dataset " + dir + " has no test/good folder of normal images.", noGood.getMessage());
    }
}
