package org.utad.metrics;

import org.utad.core.InvalidInputException;

/**
 * Checks scores and labels given as parallel arrays and splits them into a sorted run, the common
 * first step of the image-level metrics.
 */
final class Samples {

    private Samples() {
    }

    /**
     * Validates the arrays and splits the scores by label.
     *
     * @param scores one score per sample; NaN is rejected, -0 is treated as +0
     * @param labels one label per sample, true for anomalous
     * @param metric the metric's name, for messages
     * @return a sorted run of the samples
     * @throws InvalidInputException if an array is null, the lengths differ or a score is NaN
     */
    static RankWalk.Run split(float[] scores, boolean[] labels, String metric) {
        if (scores == null || labels == null) {
            throw new InvalidInputException(metric + " needs scores and labels, got "
                    + (scores == null ? "no scores" : "no labels"));
        }
        if (scores.length != labels.length) {
            throw new InvalidInputException(metric + " needs one label per score, got "
                    + scores.length + " scores and " + labels.length + " labels");
        }
        int positives = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new InvalidInputException(metric + " got a NaN score at index " + i
                        + "; every sample needs a numeric score");
            }
            if (labels[i]) {
                positives++;
            }
        }
        float[] pos = new float[positives];
        float[] neg = new float[scores.length - positives];
        int p = 0;
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            float score = scores[i] + 0.0f;
            if (labels[i]) {
                pos[p++] = score;
            } else {
                neg[n++] = score;
            }
        }
        return RankWalk.Run.of(neg, pos);
    }

    /**
     * Rejects data without both classes, where AUROC is undefined.
     *
     * @param positives number of anomalous samples
     * @param negatives number of normal samples
     * @param metric    the metric's name
     * @param unit      what a sample is ("images", "pixels"), for the message
     */
    static void requireBothClasses(long positives, long negatives, String metric, String unit) {
        if (positives == 0 || negatives == 0) {
            throw new InvalidInputException(metric + " needs both normal and anomalous " + unit
                    + ", got " + negatives + " normal and " + positives + " anomalous");
        }
    }
}
