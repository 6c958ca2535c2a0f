package org.utad.metrics;

import java.util.List;

/**
 * Pixel AUROC over many images, fed one image at a time: every pixel's anomaly-map value against
 * its ground-truth mask, all test pixels together.
 *
 * <p>The result is exact and tie-aware, identical to {@link Roc#auroc(float[], boolean[])} on all
 * pixels concatenated. Memory: every pixel's score is kept once, as a float in either the normal or
 * the anomalous list, so 4 bytes per pixel (400 MB for 100 million pixels); {@link #auroc()} sorts
 * the lists in place after gathering them into one array each, which briefly needs a second copy
 * (8 bytes per pixel at the peak, 800 MB for 100 million pixels). At most about 2^31 pixels of each
 * class can be held.
 */
public final class PixelAurocAccumulator {
    private final PixelScores scores = new PixelScores(false);

    /** Creates an empty accumulator. */
    public PixelAurocAccumulator() {
    }

    /**
     * Adds one image.
     *
     * @param map  the anomaly map, row-major; NaN is rejected
     * @param mask the ground-truth mask of the same length, true for anomalous; null for an image
     *             without anomalous pixels (a good image)
     * @throws org.utad.core.InvalidInputException if the map is null, contains NaN or differs in
     *         size from the mask; nothing of that image is then added
     */
    public void add(float[] map, boolean[] mask) {
        scores.add(map, mask, 0, 0, "image " + (scores.images() + 1));
    }

    /**
     * Computes the pixel AUROC of everything added so far; more images may be added afterwards.
     *
     * @return AUROC in [0, 1]
     * @throws org.utad.core.InvalidInputException if there are no normal or no anomalous pixels
     */
    public double auroc() {
        Samples.requireBothClasses(scores.positiveCount(), scores.negativeCount(), "Pixel AUROC", "pixels");
        return RankWalk.walk(List.of(scores.snapshot()), Double.NaN, null).auroc();
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
}
