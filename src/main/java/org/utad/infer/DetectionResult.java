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
 * @param map            the smoothed anomaly map, in the model's score units
 * @param normalizedMap  the map scaled so that the pixel threshold sits at 0.5; null when uncalibrated
 * @param mask           pixels at or above the pixel threshold; null when uncalibrated
 * @param regions        connected anomalous regions of the mask (bounding box, area, peak); empty when none
 * @param impression     the IE-Net impression (input channels), or null unless intermediates were asked
 * @param expert         the expert reconstruction with the input's own detail code, or null
 * @param variance       the per-pixel variance of the random-code expert reconstructions, or null
 * @param networkSeconds seconds spent in network forward passes
 * @param totalSeconds   seconds spent on the whole image
 */
public record DetectionResult(String name, double score, Verdict verdict, FloatImage map, FloatImage normalizedMap,
                              boolean[] mask, List<ConnectedComponents.Region> regions, FloatImage impression,
                              FloatImage expert, FloatImage variance, double networkSeconds, double totalSeconds) {
    /** A verdict on one image. */
    public enum Verdict {
        /** The score is at or above the calibrated image threshold. */
        ANOMALOUS,
        /** The score is below the threshold. */
        NORMAL,
        /** The model has no calibrated threshold. */
        UNKNOWN
    }
}
