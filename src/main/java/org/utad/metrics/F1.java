package org.utad.metrics;

import java.util.List;
import org.utad.core.InvalidInputException;

/**
 * Image-level F1 score: the best achievable over all thresholds (F1-max, how well the scores
 * could be thresholded) and at one given threshold (how well the threshold calibrated on normal
 * images alone actually works).
 *
 * <p>A sample is predicted anomalous when its score is at or above the threshold. Precision is
 * taken as 0 when nothing is predicted anomalous, so that F1 is then 0.
 */
public final class F1 {

    private F1() {
    }

    /**
     * F1 with the counts it came from.
     *
     * @param f1             the harmonic mean of precision and recall, 2 TP / (2 TP + FP + FN)
     * @param threshold      the threshold; samples scoring at or above it are predicted anomalous
     * @param precision      TP / (TP + FP), 0 when nothing is predicted anomalous
     * @param recall         TP / (TP + FN)
     * @param truePositives  anomalous samples predicted anomalous
     * @param falsePositives normal samples predicted anomalous
     * @param falseNegatives anomalous samples predicted normal
     * @param trueNegatives  normal samples predicted normal
     */
    public record Score(double f1, float threshold, double precision, double recall, long truePositives,
                        long falsePositives, long falseNegatives, long trueNegatives) {

        /**
         * Derives the rates from the counts at a threshold.
         *
         * @param threshold the threshold
         * @param tp        anomalous samples at or above it
         * @param fp        normal samples at or above it
         * @param positives all anomalous samples, at least 1
         * @param negatives all normal samples
         * @return the score
         */
        static Score of(float threshold, long tp, long fp, long positives, long negatives) {
            long fn = positives - tp;
            double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
            double recall = (double) tp / positives;
            double f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
            return new Score(f1, threshold, precision, recall, tp, fp, fn, negatives - fp);
        }
    }

    /**
     * Finds the threshold with the highest F1. Only the samples' own scores need to be tried, since
     * F1 changes only where a score is crossed; among equally good thresholds the highest is
     * returned.
     *
     * @param scores one score per sample; NaN is rejected
     * @param labels one label per sample, true for anomalous
     * @return the best score and its threshold (one of the sample scores)
     * @throws InvalidInputException if the arrays are null or of different lengths, a score is NaN,
     *         or there is no anomalous sample (F1 is then undefined)
     */
    public static Score max(float[] scores, boolean[] labels) {
        RankWalk.Run run = Samples.split(scores, labels, "F1");
        long positives = run.positiveCount();
        long negatives = run.negatives().length;
        requirePositives(positives);
        Score[] best = {null};
        RankWalk.walk(List.of(run), Double.NaN, (threshold, tp, fp, pro) -> {
            Score s = Score.of(threshold, tp, fp, positives, negatives);
            if (best[0] == null || s.f1() > best[0].f1()) {
                best[0] = s;
            }
        });
        return best[0];
    }

    /**
     * Computes F1 at a given threshold.
     *
     * @param scores    one score per sample; NaN is rejected
     * @param labels    one label per sample, true for anomalous
     * @param threshold samples scoring at or above it are predicted anomalous; NaN is rejected
     * @return the score
     * @throws InvalidInputException if the arrays are null or of different lengths, a score or the
     *         threshold is NaN, or there is no anomalous sample
     */
    public static Score at(float[] scores, boolean[] labels, float threshold) {
        if (Float.isNaN(threshold)) {
            throw new InvalidInputException("F1 needs a numeric threshold, got NaN");
        }
        RankWalk.Run run = Samples.split(scores, labels, "F1");
        requirePositives(run.positiveCount());
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] >= threshold) {
                if (labels[i]) {
                    tp++;
                } else {
                    fp++;
                }
            }
        }
        return Score.of(threshold, tp, fp, run.positiveCount(), run.negatives().length);
    }

    private static void requirePositives(long positives) {
        if (positives == 0) {
            throw new InvalidInputException("F1 needs at least one anomalous sample, got none");
        }
    }
}
