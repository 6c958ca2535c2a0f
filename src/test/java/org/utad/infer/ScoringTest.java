package org.utad.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.utad.config.Thresholds;
import org.utad.engine.Engines;
import org.utad.model.ImageOps;

/**
 * The host-side smoothing against the device filter it replaced, and the verdict, mask and regions
 * that thresholds give.
 */
class ScoringTest {
    @BeforeAll
    static void engine() {
        Engines.offline();
    }

    /**
     * The former smoothing: the map copied to the device, blurred with zero padding, divided by the
     * blur of ones there, and copied back.
     */
    static float[] deviceSmooth(float[] map, int w, int h, double sigma) {
        int size = ImageOps.kernelSize(sigma);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(map, new Shape(1, 1, h, w));
            NDArray blurred = ImageOps.gaussianZeroPadded(x, sigma, size);
            NDArray norm = ImageOps.gaussianZeroPadded(m.ones(new Shape(1, 1, h, w)), sigma, size);
            return blurred.div(norm).toFloatArray();
        }
    }

    private static float[] randomMap(long seed, int n) {
        Random r = new Random(seed);
        float[] map = new float[n];
        for (int i = 0; i < n; i++) {
            map[i] = r.nextFloat() * (r.nextInt(50) == 0 ? 5f : 0.5f);
        }
        return map;
    }

    @Test
    void hostSmoothingMatchesTheFormerDeviceSmoothing() {
        int[][] sizes = {{173, 61}, {64, 64}, {7, 300}, {5, 3}, {1, 1}};
        double[] sigmas = {0.5, 1, 4, 9};
        for (int[] wh : sizes) {
            for (double sigma : sigmas) {
                float[] map = randomMap(wh[0] * 31L + wh[1], wh[0] * wh[1]);
                float[] host = Scoring.smooth(map, wh[0], wh[1], sigma);
                float[] device = deviceSmooth(map, wh[0], wh[1], sigma);
                float worst = 0;
                for (int i = 0; i < host.length; i++) {
                    worst = Math.max(worst, Math.abs(host[i] - device[i]));
                }
                assertTrue(worst < 1e-5, wh[0] + "x" + wh[1] + " sigma " + sigma + ": differs by " + worst);
            }
        }
    }

    @Test
    void smoothingKeepsAConstantMapAndSpreadsASpot() {
        float[] flat = new float[40 * 30];
        java.util.Arrays.fill(flat, 0.25f);
        for (float v : Scoring.smooth(flat, 40, 30, 3)) {
            assertEquals(0.25f, v, 1e-6, "the border is an average of real pixels only");
        }
        float[] spot = new float[21 * 21];
        spot[10 * 21 + 10] = 1;
        float[] s = Scoring.smooth(spot, 21, 21, 2);
        assertTrue(s[10 * 21 + 10] < 1 && s[10 * 21 + 12] > 0 && s[10 * 21 + 10] > s[10 * 21 + 12]);
        assertEquals(s[10 * 21 + 12], s[12 * 21 + 10], 1e-7, "the filter is symmetric in x and y");
        assertSame(spot, Scoring.smooth(spot, 21, 21, 0), "sigma 0 leaves the map as it is");
    }

    @Test
    void thresholdsGiveVerdictMaskAndRegions() {
        float[] map = new float[10 * 6];
        map[2 * 10 + 3] = 0.9f;
        map[2 * 10 + 4] = 0.8f;
        map[5 * 10 + 9] = 0.7f;
        Scoring.Judgement none = Scoring.judge(map, 10, 6, 0.9, null);
        assertEquals(DetectionResult.Verdict.UNKNOWN, none.verdict());
        assertNull(none.mask());
        Thresholds th = new Thresholds(0.85, 0.5, 0.99, null, "test");
        Scoring.Judgement j = Scoring.judge(map, 10, 6, 0.9, th);
        assertEquals(DetectionResult.Verdict.ANOMALOUS, j.verdict());
        assertEquals(2, j.regions().size());
        boolean[] expected = new boolean[60];
        expected[23] = true;
        expected[24] = true;
        expected[59] = true;
        assertArrayEquals(expected, j.mask());
        assertEquals(DetectionResult.Verdict.NORMAL, Scoring.judge(map, 10, 6, 0.8, th).verdict());
    }
}
