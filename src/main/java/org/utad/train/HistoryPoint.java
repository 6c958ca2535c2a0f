package org.utad.train;

import java.util.Map;

/**
 * One point of the loss curves, kept in the model's training summary so the curves can be
 * plotted after training (and after a resume) without the log.
 *
 * @param stage          1 or 2
 * @param iteration      the iteration it was taken at
 * @param losses         the loss terms at that iteration
 * @param validationLoss the validation loss if one was computed there, else NaN
 */
public record HistoryPoint(int stage, int iteration, Map<String, Double> losses, double validationLoss) {
}
