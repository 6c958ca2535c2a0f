package org.utad.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.utad.core.ConnectedComponents;
import org.utad.core.InvalidInputException;

/** AUPRO against hand-computed curves, the perfect and the random map, and a brute-force version. */
class AuproTest {
    private static final boolean T = true;
    private static final boolean F = false;

    /**
     * One row: region A = pixels 0-1 (scores 0.9, 0.5), region B = pixel 3 (0.7), normal pixels
     * 0.8, 0.6, 0.3, 0.2. Thresholds from the top give (FPR, PRO): 0.9 (0, 1/4), 0.8 (1/4, 1/4),
     * 0.7 (1/4, 3/4), 0.6 (1/2, 3/4), 0.5 (1/2, 1), 0.3 (3/4, 1), 0.2 (1, 1).
     */
    private static Aupro twoRegions(double maxFpr, float regionB) {
        Aupro aupro = new Aupro(maxFpr);
        aupro.add(new float[] {0.9f, 0.5f, 0.8f, regionB, 0.6f, 0.3f, 0.2f},
                new boolean[] {T, T, F, T, F, F, F}, 7, 1);
        return aupro;
    }

    @Test
    void twoRegionsByHand() {
        // Up to 0.3: 1/4 * 1/4 (first flat step) + 0.05 * 3/4 (interpolated at 0.3) = 0.1.
        assertEquals(0.1 / 0.3, twoRegions(0.3, 0.7f).aupro(), 1e-12);
        // Up to 1: 1/16 + 1/4 * 3/4 + 1/4 + 1/4 = 0.75.
        assertEquals(0.75, twoRegions(1.0, 0.7f).aupro(), 1e-12);
        // Up to 0.5, ending exactly on a point: 1/16 + 3/16 = 1/4, divided by 0.5.
        assertEquals(0.5, twoRegions(0.5, 0.7f).aupro(), 1e-12);

        Aupro.Curve curve = twoRegions(0.3, 0.7f).curve();
        assertArrayEquals(new double[] {0, 0, 0.25, 0.25, 0.5}, curve.fpr());
        assertArrayEquals(new double[] {0, 0.25, 0.25, 0.75, 0.75}, curve.pro());
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 0.9f, 0.8f, 0.7f, 0.6f}, curve.thresholds());
    }

    @Test
    void tieBetweenRegionAndNormalPixelIsADiagonalStep() {
        // Region B now scores 0.6 like a normal pixel: (1/4, 1/4) -> (1/2, 3/4) in one step.
        // Up to 0.5: 1/16 + 1/4 * (1/4 + 3/4) / 2 = 3/16, divided by 0.5.
        assertEquals(0.375, twoRegions(0.5, 0.6f).aupro(), 1e-12);
        // Up to 0.3: PRO at 0.3 is 1/4 + 1/2 * (0.05 / 0.25) = 0.35;
        // 1/16 + 0.05 * (0.25 + 0.35) / 2 = 0.0775.
        assertEquals(0.0775 / 0.3, twoRegions(0.3, 0.6f).aupro(), 1e-12);
    }

    @Test
    void regionsAreEightConnectedAndCountedOverImages() {
        // The same data as twoRegionsByHand, split over two images; region A is now diagonal.
        Aupro aupro = new Aupro(0.3);
        aupro.add(new float[] {0.9f, 0.8f, 0.3f, 0.5f}, new boolean[] {T, F, F, T}, 2, 2);
        aupro.add(new float[] {0.7f, 0.6f, 0.2f}, new boolean[] {T, F, F}, 3, 1);
        assertEquals(2, aupro.regions());
        assertEquals(2, aupro.images());
        assertEquals(3, aupro.anomalousPixels());
        assertEquals(4, aupro.normalPixels());
        assertEquals(0.1 / 0.3, aupro.aupro(), 1e-12);
    }

    @Test
    void perfectMapIsOne() {
        Random random = new Random(3);
        Aupro aupro = new Aupro();
        for (int image = 0; image < 5; image++) {
            int w = 32;
            int h = 24;
            boolean[] mask = randomBlobs(random, w, h, image == 0 ? 0 : 3);
            float[] map = new float[w * h];
            for (int i = 0; i < map.length; i++) {
                map[i] = mask[i] ? 1f : 0f;
            }
            aupro.add(map, image == 1 ? mask : mask.clone(), w, h);
        }
        assertEquals(1.0, aupro.aupro(), 1e-12);
    }

    @Test
    void uniformRandomMapGivesHalfTheLimit() {
        // A map independent of the masks has PRO = FPR on average, so the area up to 0.3 is
        // 0.3^2 / 2 and the normalised area 0.15.
        Random random = new Random(11);
        Aupro aupro = new Aupro();
        int w = 128;
        int h = 128;
        for (int image = 0; image < 20; image++) {
            boolean[] mask = randomBlobs(random, w, h, 8);
            float[] map = new float[w * h];
            for (int i = 0; i < map.length; i++) {
                map[i] = random.nextFloat();
            }
            aupro.add(map, mask, w, h);
        }
        assertTrue(aupro.regions() > 50, "regions " + aupro.regions());
        assertEquals(0.15, aupro.aupro(), 0.01);
    }

    @Test
    void matchesBruteForceOnSmallRandomCasesWithTies() {
        Random random = new Random(5);
        for (int trial = 0; trial < 30; trial++) {
            double maxFpr = trial % 3 == 0 ? 0.3 : 0.05 + 0.95 * random.nextDouble();
            Aupro aupro = new Aupro(maxFpr);
            List<float[]> maps = new ArrayList<>();
            List<boolean[]> masks = new ArrayList<>();
            int w = 9;
            int h = 7;
            for (int image = 0; image < 4; image++) {
                boolean[] mask = image == 3 ? new boolean[w * h] : randomBlobs(random, w, h, 2);
                float[] map = new float[w * h];
                for (int i = 0; i < map.length; i++) {
                    map[i] = random.nextInt(12) + (mask[i] ? 3 : 0);
                }
                aupro.add(map, mask, w, h);
                maps.add(map);
                masks.add(mask);
            }
            assertEquals(bruteForce(maps, masks, w, h, maxFpr), aupro.aupro(), 1e-12, "trial " + trial);
        }
    }

    @Test
    void emptyMasksContributeOnlyNormalPixels() {
        Aupro withEmpty = twoRegions(0.3, 0.7f);
        withEmpty.add(new float[] {0.1f, 0.1f}, null, 2, 1);
        withEmpty.add(new float[] {0.1f, 0.1f}, new boolean[2], 1, 2);
        assertEquals(8, withEmpty.normalPixels());
        assertEquals(2, withEmpty.regions());
        // Four more normal pixels below every other score halve every FPR: (0, 1/4), (1/8, 1/4),
        // (1/8, 3/4), (1/4, 3/4), (1/4, 1), then (3/8, 1); up to 0.3:
        // 1/8 * 1/4 + 1/8 * 3/4 + 0.05 * 1 = 0.175.
        assertEquals(0.175 / 0.3, withEmpty.aupro(), 1e-12);
    }

    @Test
    void clearErrors() {
        assertThrows(InvalidInputException.class, () -> new Aupro(0));
        assertThrows(InvalidInputException.class, () -> new Aupro(1.5));
        assertThrows(InvalidInputException.class, () -> new Aupro(Double.NaN));
        Aupro aupro = new Aupro();
        aupro.add(new float[] {0.1f, 0.2f}, null, 2, 1);
        InvalidInputException e = assertThrows(InvalidInputException.class, aupro::aupro);
        assertTrue(e.getMessage().contains("at least one anomalous ground-truth region"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> aupro.add(new float[] {0.1f, 0.2f}, null, 3, 1));
        assertThrows(InvalidInputException.class,
                () -> aupro.add(new float[] {0.1f, Float.NaN}, new boolean[] {T, F}, 2, 1));
        Aupro onlyAnomalous = new Aupro();
        onlyAnomalous.add(new float[] {0.1f}, new boolean[] {T}, 1, 1);
        assertThrows(InvalidInputException.class, onlyAnomalous::aupro);
    }

    /** A mask with a few random rectangles. */
    static boolean[] randomBlobs(Random random, int w, int h, int blobs) {
        boolean[] mask = new boolean[w * h];
        for (int b = 0; b < blobs; b++) {
            int bw = 1 + random.nextInt(Math.max(1, w / 4));
            int bh = 1 + random.nextInt(Math.max(1, h / 4));
            int x0 = random.nextInt(w - bw + 1);
            int y0 = random.nextInt(h - bh + 1);
            for (int y = y0; y < y0 + bh; y++) {
                for (int x = x0; x < x0 + bw; x++) {
                    mask[y * w + x] = true;
                }
            }
        }
        return mask;
    }

    /** Direct evaluation of the definition at every distinct score, then the trapezoidal rule. */
    private static double bruteForce(List<float[]> maps, List<boolean[]> masks, int w, int h, double maxFpr) {
        TreeSet<Float> thresholds = new TreeSet<>();
        List<int[]> labels = new ArrayList<>();
        int regions = 0;
        long normal = 0;
        for (int m = 0; m < maps.size(); m++) {
            for (float v : maps.get(m)) {
                thresholds.add(v);
            }
            ConnectedComponents.Labeling l = ConnectedComponents.label(masks.get(m), w, h);
            labels.add(l.labels());
            regions += l.count();
            for (boolean b : masks.get(m)) {
                normal += b ? 0 : 1;
            }
        }
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, 0});
        for (float t : thresholds.descendingSet()) {
            long fp = 0;
            double proSum = 0;
            for (int m = 0; m < maps.size(); m++) {
                float[] map = maps.get(m);
                int[] lab = labels.get(m);
                int count = 0;
                for (int v : lab) {
                    count = Math.max(count, v);
                }
                int[] hit = new int[count + 1];
                int[] area = new int[count + 1];
                for (int i = 0; i < map.length; i++) {
                    area[lab[i]]++;
                    if (map[i] >= t) {
                        hit[lab[i]]++;
                        if (lab[i] == 0) {
                            fp++;
                        }
                    }
                }
                for (int k = 1; k <= count; k++) {
                    proSum += (double) hit[k] / area[k];
                }
            }
            points.add(new double[] {(double) fp / normal, proSum / regions});
        }
        double area = 0;
        for (int i = 1; i < points.size(); i++) {
            double x0 = points.get(i - 1)[0];
            double y0 = points.get(i - 1)[1];
            double x1 = points.get(i)[0];
            double y1 = points.get(i)[1];
            if (x1 >= maxFpr) {
                double yAt = y0 + (y1 - y0) * (maxFpr - x0) / (x1 - x0);
                area += (maxFpr - x0) * (y0 + yAt) / 2;
                break;
            }
            area += (x1 - x0) * (y0 + y1) / 2;
        }
        return area / maxFpr;
    }
}
