package org.utad.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * The exact ROC curve and its area (AUROC) of scores against binary labels.
 *
 * <p>Used for image AUROC (image score against "any defect") and as the reference for the pixel
 * metrics. The curve has one point per distinct score, taken from the highest down, where a
 * sample is predicted anomalous when its score is at or above the threshold; samples with equal
 * scores are one step, so a tie between an anomalous and a normal sample is a diagonal segment and
 * counts 1/2 in the area. The area is the Mann-Whitney U statistic divided by P x N, computed in
 * exact integer arithmetic before the final division.
 */
public final class Roc {
    private final double auroc;
    private final long positives;
    private final long negatives;
    private final double[] fpr;
    private final double[] tpr;
    private final float[] thresholds;

    private Roc(double auroc, long positives, long negatives, double[] fpr, double[] tpr, float[] thresholds) {
        this.auroc = auroc;
        this.positives = positives;
        this.negatives = negatives;
        this.fpr = fpr;
        this.tpr = tpr;
        this.thresholds = thresholds;
    }

    /**
     * Computes the ROC curve and AUROC.
     *
     * @param scores one score per sample, higher meaning more anomalous; NaN is rejected
     * @param labels one label per sample, true for anomalous
     * @return the curve and its area
     * @throws org.utad.core.InvalidInputException if the arrays are null or of different lengths,
     *         a score is NaN, or the samples are not both normal and anomalous
     */
    public static Roc of(float[] scores, boolean[] labels) {
        RankWalk.Run run = Samples.split(scores, labels, "AUROC");
        long p = run.positiveCount();
        long n = run.negatives().length;
        Samples.requireBothClasses(p, n, "AUROC", "samples");
        int capacity = scores.length + 1;
        double[] fpr = new double[capacity];
        double[] tpr = new double[capacity];
        float[] thr = new float[capacity];
        thr[0] = Float.POSITIVE_INFINITY;
        int[] size = {1};
        RankWalk.Result result = RankWalk.walk(List.of(run), Double.NaN, (threshold, tp, fp, pro) -> {
            int i = size[0]++;
            fpr[i] = (double) fp / n;
            tpr[i] = (double) tp / p;
            thr[i] = threshold;
        });
        return new Roc(result.auroc(), p, n, Arrays.copyOf(fpr, size[0]), Arrays.copyOf(tpr, size[0]),
                Arrays.copyOf(thr, size[0]));
    }

    /**
     * Computes only the area, for callers that do not plot the curve.
     *
     * @param scores one score per sample; NaN is rejected
     * @param labels one label per sample, true for anomalous
     * @return AUROC in [0, 1]
     * @throws org.utad.core.InvalidInputException as {@link #of(float[], boolean[])}
     */
    public static double auroc(float[] scores, boolean[] labels) {
        RankWalk.Run run = Samples.split(scores, labels, "AUROC");
        Samples.requireBothClasses(run.positiveCount(), run.negatives().length, "AUROC", "samples");
        return RankWalk.walk(List.of(run), Double.NaN, null).auroc();
    }

    /** @return the area under the curve, in [0, 1]; 0.5 is chance, 1 perfect separation */
    public double auroc() {
        return auroc;
    }

    /** @return number of anomalous samples */
    public long positives() {
        return positives;
    }

    /** @return number of normal samples */
    public long negatives() {
        return negatives;
    }

    /** @return number of curve points, one more than the number of distinct scores */
    public int size() {
        return thresholds.length;
    }

    /**
     * False positive rates of the curve points, from 0 (threshold +infinity) up to 1.
     *
     * @return a copy of the rates
     */
    public double[] fpr() {
        return fpr.clone();
    }

    /**
     * True positive rates of the curve points, from 0 up to 1.
     *
     * @return a copy of the rates
     */
    public double[] tpr() {
        return tpr.clone();
    }

    /**
     * Thresholds of the curve points, descending: point {@code i} predicts anomalous the samples
     * scoring at or above {@code thresholds()[i]}; the first, labelled +infinity, is the
     * point (0, 0) where nothing is predicted anomalous.
     *
     * @return a copy of the thresholds
     */
    public float[] thresholds() {
        return thresholds.clone();
    }
}
