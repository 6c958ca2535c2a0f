package org.utad.infer;

import org.utad.config.DetectConfig;
import org.utad.config.Fusion;
import org.utad.config.Residual;

/**
 * Per-call detection settings. Start from {@link #defaults(DetectConfig)} (the model's stored
 * settings) and change what is needed with the {@code with} methods.
 *
 * @param method           UTAD fusion or the one-stage baseline
 * @param randomCodes      K, random detail codes per image
 * @param residual         SSIM or L2 residuals
 * @param smoothingSigma   Gaussian smoothing of the map, in image pixels
 * @param scoreQuantile    image score quantile of the smoothed map (1 = maximum)
 * @param tileOverlap      overlap of neighbouring tiles in patch mode
 * @param conversion       channel conversion policy
 * @param intermediates    whether to return impression, expert reconstruction and variance images
 * @param tileSize         detection tile size in patch mode (0 = the model size)
 * @param untiled          run a whole image through the networks at once instead of tiling (patch
 *                         mode, width and height multiples of 32); for comparisons and tests
 * @param fusion           how the residual maps are formed from the networks' outputs (null: default)
 * @param scoreMargin      share of the image's width and height, on each side, that the image score
 *                         leaves out (0 = the whole map; the map itself is unchanged)
 */
public record DetectOptions(Method method, int randomCodes, Residual residual, double smoothingSigma,
                            double scoreQuantile, double tileOverlap, ColorConversion conversion,
                            boolean intermediates, int tileSize, boolean untiled, Fusion fusion,
                            double scoreMargin) {

    /** @throws IllegalArgumentException if a value is out of range */
    public DetectOptions {
        if (randomCodes < 1) {
            throw new IllegalArgumentException("random_codes must be at least 1, got " + randomCodes);
        }
        if (smoothingSigma < 0 || !(scoreQuantile > 0 && scoreQuantile <= 1)) {
            throw new IllegalArgumentException("sigma must be >= 0 and the score quantile in (0, 1]");
        }
        if (!(tileOverlap >= 0 && tileOverlap <= 0.75)) {
            throw new IllegalArgumentException("tile overlap must be in [0, 0.75], got " + tileOverlap);
        }
        if (!(scoreMargin >= 0 && scoreMargin < 0.5)) {
            throw new IllegalArgumentException("score margin must be in [0, 0.5), got " + scoreMargin);
        }
        if (fusion == null) {
            fusion = Fusion.DEFAULT;
        }
    }

    /**
     * The model's own settings.
     *
     * @param d the detection section of the model's configuration
     * @return options that reproduce them
     */
    public static DetectOptions defaults(DetectConfig d) {
        return new DetectOptions(Method.UTAD, d.randomCodes(), d.residual(), d.smoothingSigma(), d.scoreQuantile(),
                d.tileOverlap(), ColorConversion.NONE, false, d.tileSize(), false, d.fusionSwitches(), d.scoreMargin());
    }

    /** @param m the method @return a copy using it */
    public DetectOptions withMethod(Method m) {
        return new DetectOptions(m, randomCodes, residual, smoothingSigma, scoreQuantile, tileOverlap, conversion,
                intermediates, tileSize, untiled, fusion, scoreMargin);
    }

    /** @param k random codes @return a copy using them */
    public DetectOptions withRandomCodes(int k) {
        return new DetectOptions(method, k, residual, smoothingSigma, scoreQuantile, tileOverlap, conversion,
                intermediates, tileSize, untiled, fusion, scoreMargin);
    }

    /** @param r the residual @return a copy using it */
    public DetectOptions withResidual(Residual r) {
        return new DetectOptions(method, randomCodes, r, smoothingSigma, scoreQuantile, tileOverlap, conversion,
                intermediates, tileSize, untiled, fusion, scoreMargin);
    }

    /** @param sigma smoothing sigma @return a copy using it */
    public DetectOptions withSigma(double sigma) {
        return new DetectOptions(method, randomCodes, residual, sigma, scoreQuantile, tileOverlap, conversion,
                intermediates, tileSize, untiled, fusion, scoreMargin);
    }

    /** @param q the score quantile @return a copy using it */
    public DetectOptions withScoreQuantile(double q) {
        return new DetectOptions(method, randomCodes, residual, smoothingSigma, q, tileOverlap, conversion,
                intermediates, tileSize, untiled, fusion, scoreMargin);
    }

    /** @param overlap tile overlap @return a copy using it */
    public DetectOptions withTileOverlap(double overlap) {
        return new DetectOptions(method, randomCodes, residual, smoothingSigma, scoreQuantile, overlap, conversion,
                intermediates, tileSize, untiled, fusion, scoreMargin);
    }

    /** @param c conversion policy @return a copy using it */
    public DetectOptions withConversion(ColorConversion c) {
        return new DetectOptions(method, randomCodes, residual, smoothingSigma, scoreQuantile, tileOverlap, c,
                intermediates, tileSize, untiled, fusion, scoreMargin);
    }

    /** @param on whether to return intermediates @return a copy */
    public DetectOptions withIntermediates(boolean on) {
        return new DetectOptions(method, randomCodes, residual, smoothingSigma, scoreQuantile, tileOverlap, conversion,
                on, tileSize, untiled, fusion, scoreMargin);
    }

    /** @param size detection tile size (0 = model size) @return a copy */
    public DetectOptions withTileSize(int size) {
        return new DetectOptions(method, randomCodes, residual, smoothingSigma, scoreQuantile, tileOverlap, conversion,
                intermediates, size, untiled, fusion, scoreMargin);
    }

    /** @param on whether to skip tiling @return a copy */
    public DetectOptions withUntiled(boolean on) {
        return new DetectOptions(method, randomCodes, residual, smoothingSigma, scoreQuantile, tileOverlap, conversion,
                intermediates, tileSize, on, fusion, scoreMargin);
    }

    /** @param f how residuals are formed @return a copy using it */
    public DetectOptions withFusion(Fusion f) {
        return new DetectOptions(method, randomCodes, residual, smoothingSigma, scoreQuantile, tileOverlap, conversion,
                intermediates, tileSize, untiled, f, scoreMargin);
    }

    /** @param margin share of each side the image score leaves out @return a copy using it */
    public DetectOptions withScoreMargin(double margin) {
        return new DetectOptions(method, randomCodes, residual, smoothingSigma, scoreQuantile, tileOverlap, conversion,
                intermediates, tileSize, untiled, fusion, margin);
    }
}
