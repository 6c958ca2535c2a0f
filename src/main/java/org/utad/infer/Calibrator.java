package org.utad.infer;

import java.util.Arrays;
import java.util.List;
import org.utad.config.Thresholds;
import org.utad.core.CancellationToken;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.ProgressListener;

/**
 * Sets a model's decision thresholds from normal images only.
 *
 * <p>The image threshold is the configured quantile (0.99 by default) of the normal images' scores,
 * interpolated between the sorted scores. The pixel threshold for masks is the same value when the
 * score is the map's maximum: then an image is called anomalous exactly when its mask is non-empty,
 * and at most about {@code 1 - quantile} of normal images show any masked pixel. With another score
 * quantile, or a score margin that leaves the border out of the score, the pixel threshold is the same
 * quantile of the normal images' whole-map maxima, so that masks keep that meaning everywhere in the
 * image, borders included.
 */
public final class Calibrator {
    private Calibrator() {
    }

    /**
     * Scores normal images and derives thresholds.
     *
     * @param detector the model (its current thresholds are ignored)
     * @param normals  images known to be normal, not used for training
     * @param quantile the quantile of normal scores to put the threshold at
     * @param source   words saying what the images were, stored with the thresholds
     * @param listener progress per image
     * @param cancel   stops between images
     * @return the thresholds
     * @throws InvalidInputException if no images are given
     */
    public static Thresholds calibrate(Detector detector, List<FloatImage> normals, double quantile, String source,
                                       ProgressListener listener, CancellationToken cancel) {
        return calibrate(detector, detector.defaultOptions(), normals, quantile, source, listener, cancel);
    }

    /**
     * Scores normal images with the given options and derives thresholds; the thresholds only fit
     * detection with the same options.
     *
     * @param detector the model (its current thresholds are ignored)
     * @param options  how maps and scores are computed
     * @param normals  images known to be normal, not used for training
     * @param quantile the quantile of normal scores to put the threshold at
     * @param source   words saying what the images were, stored with the thresholds
     * @param listener progress per image
     * @param cancel   stops between images
     * @return the thresholds
     * @throws InvalidInputException if no images are given
     */
    public static Thresholds calibrate(Detector detector, DetectOptions options, List<FloatImage> normals,
                                       double quantile, String source, ProgressListener listener,
                                       CancellationToken cancel) {
        if (normals.isEmpty()) {
            throw new InvalidInputException("Calibration needs at least one normal image.");
        }
        List<DetectionResult> results = detector.detectAll(normals, options, listener, cancel);
        float[] scores = new float[results.size()];
        float[] maxima = new float[results.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) results.get(i).score();
            maxima[i] = (float) Detector.quantile(results.get(i).map().data(), 1.0);
        }
        Arrays.sort(scores);
        double imageThreshold = Detector.quantile(scores, quantile);
        boolean scoreIsMaximum = options.scoreQuantile() >= 1 && options.scoreMargin() == 0;
        double pixelThreshold = scoreIsMaximum ? imageThreshold : Detector.quantile(maxima, quantile);
        return new Thresholds(imageThreshold, pixelThreshold, quantile, scores,
                source + " (" + normals.size() + " normal images)");
    }
}
