package org.utad.config;

/**
 * The decision thresholds of a model, calibrated on normal images only, so verdicts and masks do
 * not need a single anomalous example.
 *
 * <p>The image threshold is a high quantile of the normal images' scores (the quantile is
 * recorded, so a user knows that about {@code 1 - quantile} of normal images will be flagged). The
 * pixel threshold is the same quantile of the normal images' per-pixel map values, for masks.
 *
 * @param imageThreshold  image score at and above which an image is called anomalous
 * @param pixelThreshold  map value at and above which a pixel is masked as anomalous
 * @param quantile        the quantile of normal scores both thresholds were taken at
 * @param normalScores    the calibration images' scores, sorted, for reports and recalibration
 * @param source          what the thresholds were computed on, in words
 */
public record Thresholds(double imageThreshold, double pixelThreshold, double quantile, float[] normalScores,
                         String source) {
    /** @throws IllegalArgumentException if a threshold is not finite */
    public Thresholds {
        if (!Double.isFinite(imageThreshold) || !Double.isFinite(pixelThreshold)) {
            throw new IllegalArgumentException("Thresholds must be finite");
        }
        normalScores = normalScores == null ? new float[0] : normalScores.clone();
    }
}
