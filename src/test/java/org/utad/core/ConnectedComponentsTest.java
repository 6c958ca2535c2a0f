package org.utad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.utad.core.ConnectedComponents.Labeling;
import org.utad.core.ConnectedComponents.Region;

/** 8-connected labelling: connectivity, region statistics, filtering and large masks. */
class ConnectedComponentsTest {

    /** Builds a mask from rows of '#' (foreground) and '.' (background). */
    private static boolean[] mask(String... rows) {
        int w = rows[0].length();
        boolean[] m = new boolean[w * rows.length];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = rows[y].charAt(x) == '#';
            }
        }
        return m;
    }

    @Test
    void diagonalPixelsAreOneRegion() {
        Labeling l = ConnectedComponents.label(mask(
                "#...",
                ".#..",
                "..#.",
                ".#.#"), 4, 4);
        assertEquals(1, l.count());
        Region r = l.regions(null).get(0);
        assertEquals(5, r.area());
        assertEquals(new Region(1, 0, 0, 4, 4, 5, Float.NaN, (0 + 1 + 2 + 1 + 3) / 5.0,
                (0 + 1 + 2 + 3 + 3) / 5.0), r);
    }

    @Test
    void twoSeparateBlobsWithBoxesAreasPeaksAndCentroids() {
        boolean[] m = mask(
                "##....",
                "##...#",
                ".....#",
                "....##");
        float[] map = new float[m.length];
        for (int i = 0; i < map.length; i++) {
            map[i] = i;
        }
        map[1] = Float.NaN;
        Labeling l = ConnectedComponents.label(m, 6, 4);
        assertEquals(2, l.count());
        assertEquals(1, l.labelAt(0, 0));
        assertEquals(2, l.labelAt(5, 1));
        assertEquals(0, l.labelAt(2, 2));
        List<Region> regions = l.regions(map);
        assertEquals(new Region(1, 0, 0, 2, 2, 4, 7f, 0.5, 0.5), regions.get(0));
        Region b = regions.get(1);
        assertEquals(2, b.label());
        assertEquals(4, b.x());
        assertEquals(1, b.y());
        assertEquals(2, b.width());
        assertEquals(3, b.height());
        assertEquals(4, b.area());
        assertEquals(23f, b.peak());
        assertEquals((5 + 5 + 4 + 5) / 4.0, b.centroidX(), 1e-12);
        assertEquals((1 + 2 + 3 + 3) / 4.0, b.centroidY(), 1e-12);
        assertArrayEquals(new int[] {16, 4, 4}, l.areas());
    }

    @Test
    void emptyAndFullMasks() {
        Labeling empty = ConnectedComponents.label(new boolean[12], 4, 3);
        assertEquals(0, empty.count());
        assertTrue(empty.regions(null).isEmpty());
        boolean[] full = new boolean[12];
        java.util.Arrays.fill(full, true);
        Labeling one = ConnectedComponents.label(full, 4, 3);
        assertEquals(1, one.count());
        assertEquals(new Region(1, 0, 0, 4, 3, 12, Float.NaN, 1.5, 1.0), one.regions(null).get(0));
    }

    @Test
    void minAreaDropsSmallRegionsAndRenumbers() {
        Labeling l = ConnectedComponents.label(mask(
                "#..##",
                "...##",
                "#....",
                "....#"), 5, 4);
        assertEquals(4, l.count());
        Labeling kept = l.withMinArea(2);
        assertEquals(1, kept.count());
        assertEquals(1, kept.labelAt(3, 0));
        assertEquals(0, kept.labelAt(0, 0));
        assertEquals(4, kept.regions(null).get(0).area());
        assertArrayEquals(mask(
                "...##",
                "...##",
                ".....",
                "....."), kept.mask());
        assertSame(l, l.withMinArea(1));
        assertEquals(4, l.count(), "the original labelling is unchanged");
    }

    @Test
    void rejectsWrongSizes() {
        assertThrows(IllegalArgumentException.class, () -> ConnectedComponents.label(new boolean[5], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> ConnectedComponents.label(new boolean[0], 0, 0));
        Labeling l = ConnectedComponents.label(new boolean[4], 2, 2);
        assertThrows(IllegalArgumentException.class, () -> l.regions(new float[3]));
    }

    @Test
    void largeRandomMaskIsLabelledQuicklyWithoutRecursion() {
        int w = 2048;
        int h = 2048;
        boolean[] m = new boolean[w * h];
        Random random = new Random(42);
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextFloat() < 0.45f;
        }
        Labeling l = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> ConnectedComponents.label(m, w, h));
        int[] areas = l.areas();
        long foreground = 0;
        for (boolean b : m) {
            foreground += b ? 1 : 0;
        }
        assertEquals(m.length - foreground, areas[0]);
        for (int i = 0; i < m.length; i++) {
            assertEquals(m[i], l.labels()[i] != 0);
        }
        // Near the 8-connected percolation threshold one region spans a large part of the mask.
        int largest = 0;
        for (int k = 1; k < areas.length; k++) {
            largest = Math.max(largest, areas[k]);
        }
        assertTrue(largest > m.length / 10, "largest region " + largest);
    }

    @Test
    void longSnakeRegionIsOneRegion() {
        int w = 1024;
        int h = 1024;
        boolean[] m = new boolean[w * h];
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = true;
            }
            int link = (y / 2) % 2 == 0 ? w - 1 : 0;
            if (y + 1 < h) {
                m[(y + 1) * w + link] = true;
            }
        }
        Labeling l = ConnectedComponents.label(m, w, h);
        assertEquals(1, l.count());
    }
}
