package org.utad.infer;

import java.util.Arrays;
import java.util.List;
import org.utad.config.Thresholds;
import org.utad.core.ConnectedComponents;
import org.utad.core.UtadException;
import org.utad.model.ImageOps;

/**
 * What detection makes of a blended map on the host: the Gaussian smoothing, the optional centring
 * on the median, the image score (a quantile inside a margin) and, against calibrated thresholds,
 * the verdict, the mask and its connected regions.
 *
 * <p>The map is smoothed here, where it already is after blending, rather than copied to the device
 * and back: the same zero-padded separable Gaussian divided by the blur of ones that
 * {@link ImageOps#gaussianKernel} defines, so values near the border are averages of real pixels.
 */
final class Scoring {
    private Scoring() {
    }

    /**
     * What the thresholds say about a map.
     *
     * @param verdict anomalous, normal, or unknown without thresholds
     * @param mask    pixels at or above the pixel threshold, or null without thresholds
     * @param regions the mask's connected regions; empty without thresholds
     */
    record Judgement(DetectionResult.Verdict verdict, boolean[] mask, List<ConnectedComponents.Region> regions) {
    }

    /**
     * Gaussian smoothing that treats the image border correctly: the zero-padded blur divided by the
     * blur of ones, separably (along rows, then along columns, the order of the former device filter).
     *
     * @param map    the map, row-major, {@code width * height} values (not modified)
     * @param width  map width
     * @param height map height
     * @param sigma  standard deviation in pixels; 0 returns the map itself
     * @return the smoothed map
     */
    static float[] smooth(float[] map, int width, int height, double sigma) {
        if (sigma <= 0) {
            return map;
        }
        int size = ImageOps.kernelSize(sigma);
        float[] k = ImageOps.gaussianKernel(sigma, size);
        float[] rows = new float[map.length];
        for (int y = 0; y < height; y++) {
            convolveLine(map, y * width, rows, y * width, width, k);
        }
        float[] out = new float[map.length];
        int r = k.length / 2;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int j = Math.max(0, r - y), end = Math.min(k.length, height + r - y); j < end; j++) {
                float kj = k[j];
                int src = (y + j - r) * width;
                for (int x = 0; x < width; x++) {
                    out[row + x] += kj * rows[src + x];
                }
            }
        }
        float[] normX = blurOfOnes(width, k);
        float[] normY = blurOfOnes(height, k);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] /= normX[x] * normY[y];
            }
        }
        return out;
    }

    /** One line of a zero-padded convolution with a centred odd kernel. */
    private static void convolveLine(float[] src, int from, float[] dst, int to, int n, float[] k) {
        int r = k.length / 2;
        for (int i = 0; i < n; i++) {
            float sum = 0f;
            for (int j = Math.max(0, r - i), end = Math.min(k.length, n + r - i); j < end; j++) {
                sum += k[j] * src[from + i + j - r];
            }
            dst[to + i] = sum;
        }
    }

    /** @return the zero-padded blur of a line of ones: the kernel's weight that falls inside */
    private static float[] blurOfOnes(int n, float[] k) {
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        float[] out = new float[n];
        convolveLine(ones, 0, out, 0, n, k);
        return out;
    }

    /**
     * Subtracts the map's median and clips at 0, for the fusion that centres maps.
     *
     * @param map the map, changed in place
     */
    static void centre(float[] map) {
        float median = (float) quantile(map, 0.5);
        for (int i = 0; i < map.length; i++) {
            map[i] = Math.max(0f, map[i] - median);
        }
    }

    /**
     * Refuses a map with NaN or infinite values, which no score or verdict could be trusted on.
     *
     * @param map  the smoothed map
     * @param name the image's name, for the message
     * @throws UtadException if a value is not finite
     */
    static void requireFinite(float[] map, String name) {
        for (float v : map) {
            if (!Float.isFinite(v)) {
                throw new UtadException("The anomaly map of " + name + " holds values that are not numbers"
                        + " (NaN) or infinite: the networks gave wrong numbers on this image, so no score or verdict"
                        + " can be trusted. Run Engine Info (bin/utad engine) and check its numerics line; if it"
                        + " reports wrong arithmetic, detect on another computer or a GPU.");
            }
        }
    }

    /**
     * Applies thresholds to a map and its score.
     *
     * @param map    the smoothed map
     * @param width  map width
     * @param height map height
     * @param score  the image score
     * @param th     the thresholds, or null for none
     * @return the verdict, mask and regions
     */
    static Judgement judge(float[] map, int width, int height, double score, Thresholds th) {
        if (th == null) {
            return new Judgement(DetectionResult.Verdict.UNKNOWN, null, List.of());
        }
        DetectionResult.Verdict verdict = score >= th.imageThreshold() ? DetectionResult.Verdict.ANOMALOUS
                : DetectionResult.Verdict.NORMAL;
        boolean[] mask = new boolean[map.length];
        float pt = (float) th.pixelThreshold();
        for (int i = 0; i < map.length; i++) {
            mask[i] = map[i] >= pt;
        }
        return new Judgement(verdict, mask, ConnectedComponents.label(mask, width, height).regions(map));
    }

    /**
     * The image score: a quantile of the map inside a margin (see {@link Detector#imageScore}).
     *
     * @param map    the smoothed map, row-major (not modified)
     * @param width  map width
     * @param height map height
     * @param q      the quantile in (0, 1]; 1 is the maximum
     * @param margin share of the width and of the height left out on each side, in [0, 0.5)
     * @return the score
     */
    static double imageScore(float[] map, int width, int height, double q, double margin) {
        int mx = Math.min((int) Math.floor(margin * width), (width - 1) / 2);
        int my = Math.min((int) Math.floor(margin * height), (height - 1) / 2);
        if (mx == 0 && my == 0) {
            return quantile(map, q);
        }
        int iw = width - 2 * mx;
        int ih = height - 2 * my;
        if (q >= 1) {
            float max = Float.NEGATIVE_INFINITY;
            for (int y = my; y < my + ih; y++) {
                for (int i = y * width + mx, end = i + iw; i < end; i++) {
                    max = Math.max(max, map[i]);
                }
            }
            return max;
        }
        float[] inner = new float[iw * ih];
        for (int y = 0; y < ih; y++) {
            System.arraycopy(map, (y + my) * width + mx, inner, y * iw, iw);
        }
        return quantile(inner, q);
    }

    /**
     * A quantile of the values, with linear interpolation; q = 1 is the maximum.
     *
     * @param values the values (not modified)
     * @param q      the quantile in (0, 1]
     * @return the quantile
     */
    static double quantile(float[] values, double q) {
        if (q >= 1) {
            float max = Float.NEGATIVE_INFINITY;
            for (float v : values) {
                max = Math.max(max, v);
            }
            return max;
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
