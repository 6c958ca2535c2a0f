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
 * @param tileSize           detection tile size in patch mode, 0 for the model size; larger tiles
 *                           (multiples of 32) run the fully convolutional networks on more pixels
 *                           at once, with less overlap to recompute
 * @param fusion             how residual maps are formed ({@link Fusion#parse} switches); model files
 *                           written before this setting existed read as "default", the maps their
 *                           thresholds were calibrated on
 * @param scoreMargin        share of the image's width and height, on each side, that the image score
 *                           leaves out (0 to below 0.5): the maps of both methods run high along the
 *                           image border on normal images, and a maximum over the whole map mostly reads
 *                           that border; model files written before this setting read as 0 (the whole map)
 */
public record DetectConfig(int randomCodes, Residual residual, double smoothingSigma,
                           double scoreQuantile, double calibrationQuantile, double tileOverlap, int tileSize,
                           String fusion, double scoreMargin) {
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
        if (tileSize < 0 || tileSize % 32 != 0) {
            throw new IllegalArgumentException("Tile size must be 0 (the model size) or a multiple of 32, got "
                    + tileSize);
        }
        if (!(scoreMargin >= 0 && scoreMargin < 0.5)) {
            throw new IllegalArgumentException("detect.score_margin is the share of each side left out of the image"
                    + " score, from 0 to below 0.5; got " + scoreMargin);
        }
        if (residual == null) {
            residual = Residual.SSIM;
        }
        fusion = Fusion.parse(fusion == null ? "" : fusion).toString();
    }

    /** @return the fusion switches as a value */
    public Fusion fusionSwitches() {
        return Fusion.parse(fusion);
    }
}
