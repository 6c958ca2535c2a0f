package org.utad.config;

/**
 * How anomaly maps, scores and thresholds are computed at detection time.
 *
 * @param randomCodes        K, the number of random detail codes for the mean and variance of expert
 *                           reconstructions and the mean of fast impressions (10 in the reference)
 * @param residual           residual of the fusion: SSIM (default) or L2
 * @param smoothingSigma     sigma in pixels of the Gaussian smoothing of the map (0 = none)
 * @param scoreQuantile      the image score is this quantile of the smoothed map (1 = its maximum)
 * @param calibrationQuantile quantile of the held-out normal images' scores used as the default threshold
 * @param tileOverlap        fraction of a tile shared with its neighbour in patch mode (0 to 0.75)
 */
public record DetectConfig(int randomCodes, Residual residual, double smoothingSigma,
                           double scoreQuantile, double calibrationQuantile, double tileOverlap) {
    /** @throws IllegalArgumentException if a value is out of range */
    public DetectConfig {
        if (randomCodes < 1) {
            throw new IllegalArgumentException("At least one random detail code is needed, got " + randomCodes);
        }
        if (smoothingSigma < 0 || !(scoreQuantile > 0 && scoreQuantile <= 1)
                || !(calibrationQuantile > 0 && calibrationQuantile <= 1)) {
            throw new IllegalArgumentException("Smoothing sigma must be >= 0 and quantiles in (0, 1]");
        }
        if (!(tileOverlap >= 0 && tileOverlap <= 0.75)) {
            throw new IllegalArgumentException("Tile overlap must be between 0 and 0.75, got " + tileOverlap);
        }
        if (residual == null) {
            residual = Residual.SSIM;
        }
    }
}
