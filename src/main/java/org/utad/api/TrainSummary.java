package org.utad.api;

import java.nio.file.Path;
import java.util.List;
import org.utad.config.Thresholds;
import org.utad.train.HistoryPoint;

/**
 * What a finished training job reports to the user.
 *
 * @param model         the model file written
 * @param device        the device actually used, and why (one line)
 * @param seconds       wall time of this job (training and calibration); a resumed job counts only its own part
 * @param secondsStage1 time spent in stage 1, over every run that trained this model
 * @param secondsStage2 time spent in stage 2, over every run that trained this model
 * @param thresholds    the calibrated thresholds
 * @param history       the loss curves, for a plot
 * @param lastState     the checkpoint with the run's last networks (resumable, and openable as a
 *                      model without thresholds)
 */
public record TrainSummary(Path model, String device, double seconds, double secondsStage1, double secondsStage2,
                           Thresholds thresholds, List<HistoryPoint> history, Path lastState) {
    /** @return a few lines for a log or a dialog */
    public String text() {
        return String.format(java.util.Locale.ROOT,
                "Model written to %s (best networks by validation loss)%nLast state kept in %s%n%s%n"
                        + "Time: %.1f s for this run; training over all runs: stage 1 %.1f s, stage 2 %.1f s%nImage threshold %.5g (quantile %.3f of %s)",
                model, lastState, device, seconds, secondsStage1, secondsStage2, thresholds.imageThreshold(),
                thresholds.quantile(), thresholds.source());
    }
}
