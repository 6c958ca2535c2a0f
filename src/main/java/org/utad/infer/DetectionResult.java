package org.utad.infer;

import java.util.List;
import org.utad.core.ConnectedComponents;
import org.utad.core.FloatImage;

/**
 * What detection found in one image. Maps have the input's size, name and calibration.
 *
 * @param name           the input's name
 * @param score          the image score (a quantile of the smoothed map)
 * @param verdict        anomalous, normal, or unknown when the model is not calibrated
 * @param map            the smoothed anomaly map, in the model's score units: the one scale of every
 *                       heatmap UTAD shows or writes, of the image score and of both thresholds
 *                       ({@link HeatmapScale})
 * @param mask           pixels at or above the pixel threshold; null when uncalibrated
 * @param regions        connected anomalous regions of the mask (bounding box, area, peak); empty when none
 * @param impression     the IE-Net impression (input channels), or null unless intermediates were asked
 * @param expert         the expert reconstruction with the input's own detail code, or null
 * @param variance       the per-pixel variance of the random-code expert reconstructions, or null
 * @param networkSeconds seconds spent in network forward passes
 * @param totalSeconds   seconds spent on the whole image
 * @param error          why the image could not be processed, or null when it was
 */
public record DetectionResult(String name, double score, Verdict verdict, FloatImage map, boolean[] mask,
                              List<ConnectedComponents.Region> regions, FloatImage impression,
                              FloatImage expert, FloatImage variance, double networkSeconds, double totalSeconds,
                              String error) {
    /** A verdict on one image. */
    public enum Verdict {
        /** The score is at or above the calibrated image threshold. */
        ANOMALOUS,
        /** The score is below the threshold. */
        NORMAL,
        /** The model has no calibrated threshold. */
        UNKNOWN,
        /** The image could not be processed; {@link DetectionResult#error()} says why. */
        ERROR
    }

    /**
     * The result for an image that could not be processed, so that a stack keeps one result (and one
     * output slice) per input slice: its maps are NaN, which ImageJ shows as empty, and the reason is
     * kept for the results table.
     *
     * @param input         the image that failed
     * @param reason        why, in words for the user
     * @param calibrated    whether the model has thresholds (then a mask is expected)
     * @param impression    whether an impression image is expected
     * @param expert        whether expert reconstruction and variance images are expected
     * @return the placeholder result
     */
    public static DetectionResult failed(FloatImage input, String reason, boolean calibrated, boolean impression,
                                         boolean expert) {
        int plane = input.planeSize();
        float[] nan = new float[plane];
        java.util.Arrays.fill(nan, Float.NaN);
        FloatImage map = input.withData(1, nan);
        float[] nanC = new float[plane * input.channels()];
        java.util.Arrays.fill(nanC, Float.NaN);
        FloatImage colour = input.withData(input.channels(), nanC);
        return new DetectionResult(input.name(), Double.NaN, Verdict.ERROR, map, calibrated ? new boolean[plane] : null,
                List.of(), impression ? colour : null, expert ? colour : null,
                expert ? map : null, 0, 0, reason);
    }
}
