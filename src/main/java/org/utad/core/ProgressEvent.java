package org.utad.core;

import java.util.Map;

/**
 * One report of a long job's progress, rich enough for a status bar, a log line and a loss chart.
 *
 * @param stage           the job's current stage, such as "stage 1 (IE-Net)" or "detect"
 * @param step            steps done in this stage (iterations, images or tiles)
 * @param totalSteps      steps this stage will take; 0 when unknown
 * @param values          named numbers of this step, such as losses; never null
 * @param validationLoss  the latest validation loss, or NaN when none was computed
 * @param itemsPerSecond  throughput in images per second, or NaN when unknown
 * @param secondsLeft     estimated seconds to the end of the stage, or NaN when unknown
 * @param message         a short line for humans
 */
public record ProgressEvent(String stage, long step, long totalSteps, Map<String, Double> values,
                            double validationLoss, double itemsPerSecond, double secondsLeft,
                            String message) {
    /**
     * Creates an event that only carries a message, for coarse phases such as "loading model".
     *
     * @param stage   the current stage
     * @param message a short line for humans
     * @return the event
     */
    public static ProgressEvent message(String stage, String message) {
        return new ProgressEvent(stage, 0, 0, Map.of(), Double.NaN, Double.NaN, Double.NaN, message);
    }

    /**
     * The event as one log line: the message led by the stage in brackets, unless the message
     * already begins with the stage's name (training's "stage 1 (IE-Net) 10/100 ..."), which would
     * otherwise be said twice.
     *
     * @return the line, without any "seconds left" suffix
     */
    public String line() {
        String m = message == null ? "" : message;
        return stage == null || stage.isEmpty() || m.startsWith(stage) ? m : "[" + stage + "] " + m;
    }

    /** @return the fraction of the stage done, in [0, 1], or NaN when the total is unknown */
    public double fraction() {
        return totalSteps <= 0 ? Double.NaN : Math.min(1.0, (double) step / totalSteps);
    }
}
