package org.utad.train;

import java.util.Locale;
import java.util.Map;
import org.utad.core.ProgressEvent;
import org.utad.core.ProgressListener;

/**
 * What a training iteration tells the user and keeps for the loss curves: a progress event with the
 * losses, the validation loss, the throughput and the time left, its one-line text, and a point of
 * the history (at most about {@value #MAX_HISTORY_PER_STAGE} per stage, plus every validation and the
 * last iteration).
 *
 * @param listener   receives one event per iteration
 * @param batchSize1 stage 1's batch size, to turn the sample rate into time left
 * @param batchSize2 stage 2's batch size
 */
record ProgressReport(ProgressListener listener, int batchSize1, int batchSize2) {
    private static final int MAX_HISTORY_PER_STAGE = 400;

    /**
     * Smooths the throughput (samples per second) so the time left does not jump every iteration.
     *
     * @param old   the smoothed rate so far, NaN before the first iteration
     * @param value this iteration's rate
     * @return the new smoothed rate
     */
    static double smoothedRate(double old, double value) {
        return Double.isNaN(old) ? value : 0.9 * old + 0.1 * value;
    }

    /**
     * Reports one finished iteration and records it in the history when due.
     *
     * @param state     the run's state; its iteration is the one that finished, its history grows
     * @param stageNo   1 or 2
     * @param total     the stage's iterations
     * @param losses    the iteration's loss terms by name
     * @param val       the validation loss computed at this iteration, or NaN
     * @param rate      the smoothed throughput in samples per second
     */
    void iteration(TrainerState state, int stageNo, int total, Map<String, Double> losses, double val, double rate) {
        int iteration = state.iteration;
        int every = Math.max(1, total / MAX_HISTORY_PER_STAGE);
        if (iteration % every == 0 || !Double.isNaN(val) || iteration + 1 == total) {
            state.history.add(new HistoryPoint(stageNo, iteration + 1, losses, val));
        }
        double left = (total - iteration - 1) / rate * (stageNo == 1 ? batchSize1 : batchSize2);
        String name = stageName(stageNo);
        StringBuilder msg = new StringBuilder(name).append(" ").append(iteration + 1).append("/").append(total);
        for (Map.Entry<String, Double> e : losses.entrySet()) {
            msg.append(String.format(Locale.ROOT, " %s=%.4g", e.getKey(), e.getValue()));
        }
        if (!Double.isNaN(val)) {
            msg.append(String.format(Locale.ROOT, " val=%.4g", val));
        }
        listener.onProgress(new ProgressEvent(name, iteration + 1, total, losses, val, rate, left, msg.toString()));
    }

    /**
     * Reports, at the end of a stage, where its time went in this run.
     *
     * @param stageNo    1 or 2
     * @param times      the stage's times
     * @param iterations the iterations this run trained in the stage
     */
    void stageTimes(int stageNo, StageTimes times, int iterations) {
        String name = stageName(stageNo);
        listener.onProgress(ProgressEvent.message(name, times.describe(name, iterations)));
    }

    /**
     * @param stageNo 1 or 2
     * @return the stage's name in progress lines and training's messages
     */
    static String stageName(int stageNo) {
        return stageNo == 1 ? "stage 1 (IE-Net)" : "stage 2 (Expert-Net)";
    }
}
