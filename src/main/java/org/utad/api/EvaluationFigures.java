package org.utad.api;

import java.nio.file.Path;
import java.util.List;
import org.utad.core.FloatImage;

/**
 * Draws the figures of an evaluation: curve plots and per-defect galleries. Drawing needs AWT or
 * ImageJ, which the api room may not use, so the implementation is injected (the ImageJ one lives
 * in {@code org.utad.imagej}); {@link Evaluate} decides what to draw and this only renders it.
 *
 * <p>Implementations write PNG files atomically and may replace existing ones (the caller has
 * already checked the overwrite rule for the whole output folder).
 */
public interface EvaluationFigures {

    /**
     * One line of a plot.
     *
     * @param label legend text, e.g. "image ROC (AUROC 0.912)"
     * @param x     abscissae
     * @param y     ordinates, as many as abscissae
     */
    record Series(String label, double[] x, double[] y) {
        /**
         * Checks that the arrays line up.
         *
         * @throws IllegalArgumentException if their lengths differ or they are empty
         */
        public Series {
            if (x.length != y.length || x.length == 0) {
                throw new IllegalArgumentException("A plot series needs as many x as y values, at least one; got "
                        + x.length + " and " + y.length);
            }
        }
    }

    /**
     * One row of a gallery: a test image with what the model made of it, all at the same (reduced)
     * size.
     *
     * @param label   text above the row: file name, score, verdict
     * @param input   the test image, one channel
     * @param heatmap the anomaly map, one channel, in score units
     * @param truth   the ground-truth mask as 0/1, or null when the image has none
     * @param mask    the predicted mask as 0/1, or null when the model is not calibrated
     */
    record Case(String label, FloatImage input, FloatImage heatmap, FloatImage truth, FloatImage mask) {
    }

    /**
     * Writes a line plot with both axes from 0 to 1 and a legend.
     *
     * @param file   the PNG to write
     * @param title  the plot title
     * @param xLabel the x axis label
     * @param yLabel the y axis label
     * @param series the lines, at least one
     * @param xMax   the right end of the x axis (1 for a ROC curve, the FPR limit for PRO)
     */
    void plot(Path file, String title, String xLabel, String yLabel, List<Series> series, double xMax);

    /**
     * Writes a gallery: one row per case with the columns input | heatmap | ground truth | mask.
     * Heatmaps share one colour scale from 0 to {@code heatMax}, so rows compare.
     *
     * @param file    the PNG to write
     * @param title   the gallery title
     * @param cases   the rows, at least one
     * @param heatMax the map value shown at full colour
     */
    void gallery(Path file, String title, List<Case> cases, double heatMax);
}
