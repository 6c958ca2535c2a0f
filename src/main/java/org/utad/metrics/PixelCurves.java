package org.utad.metrics;

/**
 * The pixel-level ROC curve and the PRO curve of an evaluation, thinned for plotting: the curves
 * of a real test set have millions of distinct scores, far more points than a plot can show.
 *
 * <p>All arrays have equal length. The points run from the highest threshold down, starting at
 * (0, 0) and ending at (1, 1) for the ROC curve.
 *
 * @param fpr false positive rate over normal pixels, ascending
 * @param tpr true positive rate over anomalous pixels, ascending
 * @param pro mean per-region overlap at the same thresholds; NaN everywhere when no
 *            ground-truth regions were tracked
 */
public record PixelCurves(double[] fpr, double[] tpr, double[] pro) {
    /**
     * Checks that the arrays line up.
     *
     * @throws IllegalArgumentException if their lengths differ
     */
    public PixelCurves {
        if (fpr.length != tpr.length || fpr.length != pro.length) {
            throw new IllegalArgumentException("Curve arrays differ in length: " + fpr.length + ", " + tpr.length
                    + ", " + pro.length);
        }
    }

    /** @return number of points */
    public int size() {
        return fpr.length;
    }
}
