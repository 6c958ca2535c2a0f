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

    /** @return a builder with no setting made yet: {@link Builder#build()} wants every one named */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's settings, to change some of them by name */
    public Builder toBuilder() {
        return builder().randomCodes(randomCodes).residual(residual).smoothingSigma(smoothingSigma)
                .scoreQuantile(scoreQuantile).calibrationQuantile(calibrationQuantile)
                .tileOverlap(tileOverlap).tileSize(tileSize).fusion(fusion).scoreMargin(scoreMargin);
    }

    /**
     * Builds a {@link DetectConfig} from named settings, so that a preset or a test reads as
     * {@code .randomCodes(4).tileOverlap(0.25)} instead of a row of bare numbers. Each setter's meaning
     * is that of the record component of the same name.
     */
    public static final class Builder {
        private Integer randomCodes;
        private Residual residual;
        private Double smoothingSigma;
        private Double scoreQuantile;
        private Double calibrationQuantile;
        private Double tileOverlap;
        private Integer tileSize;
        private String fusion;
        private Double scoreMargin;

        private Builder() {
        }

        /** Sets K, the number of random detail codes; returns this builder. */
        public Builder randomCodes(int value) {
            randomCodes = value;
            return this;
        }

        /** Sets the residual of the fusion; returns this builder. */
        public Builder residual(Residual value) {
            residual = value;
            return this;
        }

        /** Sets the sigma in pixels of the map's Gaussian smoothing, 0 for none; returns this builder. */
        public Builder smoothingSigma(double value) {
            smoothingSigma = value;
            return this;
        }

        /** Sets the quantile of the smoothed map that is the image score; returns this builder. */
        public Builder scoreQuantile(double value) {
            scoreQuantile = value;
            return this;
        }

        /** Sets the quantile of normal scores taken as the threshold; returns this builder. */
        public Builder calibrationQuantile(double value) {
            calibrationQuantile = value;
            return this;
        }

        /** Sets the share of a tile overlapping its neighbour in patch mode; returns this builder. */
        public Builder tileOverlap(double value) {
            tileOverlap = value;
            return this;
        }

        /** Sets the detection tile size in patch mode, 0 for the model size; returns this builder. */
        public Builder tileSize(int value) {
            tileSize = value;
            return this;
        }

        /** Sets the fusion switches, in {@link Fusion#parse} words; returns this builder. */
        public Builder fusion(String value) {
            fusion = value;
            return this;
        }

        /** Sets the share of each side that the image score leaves out; returns this builder. */
        public Builder scoreMargin(double value) {
            scoreMargin = value;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalStateException naming a setting that was not made
         * @throws IllegalArgumentException if a value is out of range
         */
        public DetectConfig build() {
            return new DetectConfig(Required.value(randomCodes, "detect.random_codes"),
                    Required.value(residual, "detect.residual"),
                    Required.value(smoothingSigma, "detect.smoothing_sigma"),
                    Required.value(scoreQuantile, "detect.score_quantile"),
                    Required.value(calibrationQuantile, "detect.calibration_quantile"),
                    Required.value(tileOverlap, "detect.tile_overlap"),
                    Required.value(tileSize, "detect.tile_size"),
                    Required.value(fusion, "detect.fusion"),
                    Required.value(scoreMargin, "detect.score_margin"));
        }
    }
}
