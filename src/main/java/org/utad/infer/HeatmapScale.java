package org.utad.infer;

import java.util.Locale;
import org.utad.config.Thresholds;

/**
 * The one scale of UTAD's heatmaps, defined once for every front end: a heatmap holds the smoothed
 * anomaly map ({@link DetectionResult#map()}) in the model's own units, whether it is shown in Fiji,
 * written as a TIFF by folder detection, the command line or the Spark job, or drawn in an
 * evaluation gallery. The image score is a high quantile of the same map, so it is in the same
 * units, and the model's two thresholds are too: a pixel at or above the pixel threshold is
 * anomalous (the mask), an image whose score reaches the image threshold is anomalous.
 *
 * <p>Shown, a heatmap runs from 0 (black) to twice the pixel threshold (white), so that the
 * threshold sits mid-scale and a user sees at a glance what is above it. A model without
 * thresholds has no such reference; its heatmaps run from 0 to their largest value.
 */
public final class HeatmapScale {
    private HeatmapScale() {
    }

    /**
     * The value shown at full colour.
     *
     * @param thresholds the model's thresholds for the method used, or null when it has none
     * @param largest    the largest map value of what is shown, used when there are no thresholds
     * @return twice the pixel threshold, else the largest value (never zero or negative)
     */
    public static double displayMax(Thresholds thresholds, double largest) {
        if (thresholds != null && thresholds.pixelThreshold() > 0) {
            return 2 * thresholds.pixelThreshold();
        }
        return largest > 0 && Double.isFinite(largest) ? largest : Float.MIN_NORMAL;
    }

    /**
     * The largest finite value of a map, the top of its display when the model has no thresholds.
     *
     * @param map the map's values
     * @return the largest finite value, 0 when none is above 0
     */
    public static double largest(float[] map) {
        double max = 0;
        for (float v : map) {
            if (Float.isFinite(v) && v > max) {
                max = v;
            }
        }
        return max;
    }

    /**
     * Describes the scale in words, for the Info of a heatmap image or file, so that its numbers can
     * be read without the documentation.
     *
     * @param thresholds the model's thresholds for the method used, or null when it has none
     * @param method     the detection method that made the map
     * @param displayMax the value shown at full colour ({@link #displayMax})
     * @return several lines
     */
    public static String describe(Thresholds thresholds, Method method, double displayMax) {
        StringBuilder sb = new StringBuilder("UTAD anomaly map (method ").append(method.name().toLowerCase(Locale.ROOT))
                .append(").\nValues: the anomaly map in the model's own units, the same numbers on screen, in saved"
                        + " heatmap TIFFs and in the command line's output; an image's score is a high quantile of"
                        + " its map, in the same units.\n");
        if (thresholds != null) {
            sb.append(String.format(Locale.ROOT, "Pixel threshold: %.6g (pixels at or above it are anomalous: the"
                    + " mask and the regions).%nImage threshold: %.6g (an image whose score reaches it is"
                    + " anomalous).%nDisplay: 0 (black) to %.6g (white), twice the pixel threshold, so the threshold"
                    + " is mid-scale.%n", thresholds.pixelThreshold(), thresholds.imageThreshold(), displayMax));
        } else {
            sb.append(String.format(Locale.ROOT, "No thresholds: %s, so there is no verdict and no mask."
                    + "%nDisplay: 0 (black) to %.6g (white), the largest value.%n", method == Method.UTAD
                    ? "the model was not calibrated" : "they are calibrated for the utad method only", displayMax));
        }
        return sb.toString();
    }
}
