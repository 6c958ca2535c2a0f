package org.utad.metrics;

import java.util.Arrays;
import java.util.List;
import org.utad.core.InvalidInputException;

/**
 * AUPRO: the normalised area under the per-region overlap (PRO) curve up to a false positive rate
 * limit, as defined by MVTec AD's evaluation, fed one image at a time.
 *
 * <p>Pixel AUROC rewards large defects; PRO weighs every defect region equally, so that a model
 * which finds the many small defects is not outscored by one that only finds a few large ones.
 * For a threshold t (a pixel is predicted anomalous when its score is at or above t):
 * <ul>
 * <li>FPR(t) is the fraction of all normal pixels (mask false, over all images) predicted
 * anomalous;</li>
 * <li>PRO(t) is the mean, over all ground-truth regions of all images (8-connected components of
 * the masks), of the fraction of the region's pixels predicted anomalous.</li>
 * </ul>
 * The curve runs through (0, 0) and one point per distinct score; PRO is integrated over FPR with
 * the trapezoidal rule from 0 to the limit (interpolating linearly at the limit) and divided by the
 * limit, so a perfect map scores 1 and a map independent of the masks scores about limit / 2.
 * The computation is exact (by sorting all pixels, no threshold grid); pixels with equal scores are
 * one step of the curve.
 *
 * <p>Memory: 4 bytes per normal pixel, 8 bytes per anomalous pixel (its score packed with its
 * region) and 4 bytes per region; computing sorts in place after gathering the scores into one
 * array, which briefly needs a second copy. Images with empty or null masks contribute only normal
 * pixels.
 */
public final class Aupro {
    /** The usual FPR limit, 0.3, as in MVTec AD's evaluation. */
    public static final double DEFAULT_MAX_FPR = 0.3;

    private final double maxFpr;
    private final PixelScores scores = new PixelScores(true);

    /** Creates an accumulator with the usual FPR limit of 0.3. */
    public Aupro() {
        this(DEFAULT_MAX_FPR);
    }

    /**
     * Creates an accumulator with another FPR limit.
     *
     * @param maxFpr the FPR limit, in (0, 1]
     * @throws InvalidInputException if the limit is outside (0, 1]
     */
    public Aupro(double maxFpr) {
        this.maxFpr = checkMaxFpr(maxFpr);
    }

    /**
     * @param maxFpr a proposed FPR limit
     * @return the limit, if it is in (0, 1]
     * @throws InvalidInputException otherwise
     */
    static double checkMaxFpr(double maxFpr) {
        if (!(maxFpr > 0 && maxFpr <= 1)) {
            throw new InvalidInputException("The AUPRO false positive rate limit must be in (0, 1], got "
                    + maxFpr);
        }
        return maxFpr;
    }

    /**
     * Adds one image.
     *
     * @param map    the anomaly map, row-major, {@code width * height} values; NaN is rejected
     * @param mask   the ground-truth mask of the same size, true for anomalous; null for an image
     *               without anomalous pixels
     * @param width  image width
     * @param height image height
     * @throws InvalidInputException if the map is null, contains NaN or its size does not match;
     *         nothing of that image is then added
     */
    public void add(float[] map, boolean[] mask, int width, int height) {
        scores.add(map, mask, width, height, "image " + (scores.images() + 1));
    }

    /**
     * Computes the normalised AUPRO of everything added so far; more images may be added afterwards.
     *
     * @return the area under the PRO curve from FPR 0 to the limit, divided by the limit, in [0, 1]
     * @throws InvalidInputException if there are no normal pixels or no ground-truth region
     */
    public double aupro() {
        requireData();
        return RankWalk.walk(List.of(scores.snapshot()), maxFpr, null).aupro();
    }

    /**
     * The PRO curve up to the FPR limit, for plotting: (0, 0) and one point per distinct score from
     * the highest down, ending with the first point at or beyond the limit. For large evaluations
     * this can hold millions of points.
     *
     * @return the curve
     * @throws InvalidInputException if there are no normal pixels or no ground-truth region
     */
    public Curve curve() {
        requireData();
        double[][] fpr = {new double[1024]};
        double[][] pro = {new double[1024]};
        float[][] thr = {new float[1024]};
        thr[0][0] = Float.POSITIVE_INFINITY;
        int[] size = {1};
        long normal = scores.negativeCount();
        boolean[] done = {false};
        RankWalk.walk(List.of(scores.snapshot()), Double.NaN, (threshold, tp, fp, proValue) -> {
            if (done[0]) {
                return;
            }
            int i = size[0]++;
            if (i == thr[0].length) {
                fpr[0] = Arrays.copyOf(fpr[0], 2 * i);
                pro[0] = Arrays.copyOf(pro[0], 2 * i);
                thr[0] = Arrays.copyOf(thr[0], 2 * i);
            }
            fpr[0][i] = (double) fp / normal;
            pro[0][i] = proValue;
            thr[0][i] = threshold;
            done[0] = fpr[0][i] >= maxFpr;
        });
        return new Curve(Arrays.copyOf(fpr[0], size[0]), Arrays.copyOf(pro[0], size[0]),
                Arrays.copyOf(thr[0], size[0]));
    }

    private void requireData() {
        if (scores.negativeCount() == 0 || scores.regionCount() == 0) {
            throw new InvalidInputException("AUPRO needs both normal pixels and at least one anomalous"
                    + " ground-truth region, got " + scores.negativeCount() + " normal pixels and "
                    + scores.regionCount() + " regions");
        }
    }

    /** @return the FPR limit */
    public double maxFpr() {
        return maxFpr;
    }

    /** @return number of images added */
    public int images() {
        return scores.images();
    }

    /** @return number of normal pixels added */
    public long normalPixels() {
        return scores.negativeCount();
    }

    /** @return number of anomalous pixels added */
    public long anomalousPixels() {
        return scores.positiveCount();
    }

    /** @return number of ground-truth regions (8-connected) seen */
    public int regions() {
        return scores.regionCount();
    }

    /**
     * Points of the PRO curve; the arrays have equal length and are owned by the caller.
     *
     * @param fpr        false positive rates, ascending from 0
     * @param pro        per-region overlaps, ascending from 0
     * @param thresholds thresholds, descending; the first, labelled +infinity, is (0, 0)
     */
    public record Curve(double[] fpr, double[] pro, float[] thresholds) {
    }
}
