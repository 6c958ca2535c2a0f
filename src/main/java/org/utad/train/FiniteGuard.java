package org.utad.train;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.utad.core.UtadException;

/**
 * Keeps non-finite values out of the weights: a step whose gradients hold NaN or an infinity while
 * its losses are finite is skipped (its gradients cleared, the weights and optimiser state untouched)
 * and reported; a non-finite loss, or more than {@value #MAX_SKIPS_IN_A_ROW} skipped steps in a row
 * or {@value #MAX_SKIP_SHARE_PERCENT} % of a stage, stops training at once.
 *
 * <p>Why: a NaN that reaches the weights never leaves them; the run used to go on to the end, select
 * "best" networks among NaN validations and fail only in calibration, twenty minutes later, with a
 * message that named neither the cause nor a remedy. A lone non-finite gradient with finite losses is
 * a transient fault (an intermittent CPU kernel fault, a rare overflow) that skipping recovers from;
 * a non-finite loss means the weights or the data are already wrong. The stop comes within the
 * iteration where the value appeared, the message says which stage and iteration, the likely causes
 * and what to try, and since it is thrown before any file is written, the last checkpoint stays as it
 * was and no model is written.
 */
final class FiniteGuard {
    /** Consecutive skipped steps after which training stops. */
    static final int MAX_SKIPS_IN_A_ROW = 3;
    /** Share of a stage's iterations that may be skipped before training stops. */
    static final int MAX_SKIP_SHARE_PERCENT = 2;

    private final Path checkpoint;
    private final String numerics;
    private final Consumer<String> log;
    private int skippedInARow;
    private int skipped;

    /**
     * @param checkpoint the run's checkpoint file, or null when it keeps none
     * @param numerics   the engine's numerics self-check result, quoted as a possible cause
     * @param log        receives one line per skipped step
     */
    FiniteGuard(Path checkpoint, String numerics, Consumer<String> log) {
        this.checkpoint = checkpoint;
        this.numerics = numerics;
        this.log = log;
    }

    /** @return how many steps were skipped so far in this run */
    int skipped() {
        return skipped;
    }

    /**
     * Checks one step's losses and the gradients its optimisers are about to apply.
     *
     * @param stage      1 or 2
     * @param iteration  the iteration (0-based) being run
     * @param total      the stage's iterations
     * @param losses     the losses computed so far in this step
     * @param optimisers the optimisers whose gradients are checked
     * @return true to apply the step; false if it was skipped (the gradients are cleared)
     * @throws UtadException if a loss is not finite, or too many steps had to be skipped
     */
    boolean check(int stage, int iteration, int total, Map<String, Double> losses, Adam... optimisers) {
        for (double v : losses.values()) {
            if (!Double.isFinite(v)) {
                throw stop(stage, iteration, total, losses, "a loss", "");
            }
        }
        boolean finite = true;
        for (Adam optimiser : optimisers) {
            finite &= optimiser.gradientsFinite();
        }
        if (finite) {
            skippedInARow = 0;
            return true;
        }
        for (Adam optimiser : optimisers) {
            optimiser.clearGradients();
        }
        skipped++;
        skippedInARow++;
        if (skippedInARow > MAX_SKIPS_IN_A_ROW || skipped * 100L > (long) MAX_SKIP_SHARE_PERCENT * Math.max(total, 50)) {
            throw stop(stage, iteration, total, losses, "a gradient (the losses were finite)",
                    " " + skipped + " steps had to be skipped, " + skippedInARow + " of them in a row.");
        }
        log.accept("Stage " + stage + ", iteration " + (iteration + 1) + ": a gradient was not a number or infinite"
                + " while the losses were finite; the step was skipped and the weights kept (" + skipped
                + " skipped so far).");
        return false;
    }

    private UtadException stop(int stage, int iteration, int total, Map<String, Double> losses, String what,
            String history) {
        StringBuilder values = new StringBuilder();
        losses.forEach((k, v) -> values.append(values.length() == 0 ? "" : ", ")
                .append(k).append('=').append(String.format(Locale.ROOT, "%.4g", v)));
        String stageName = ProgressReport.stageName(stage);
        String kept = checkpoint == null ? "No model was written."
                : "No model was written; the last checkpoint, " + checkpoint + ", was left as it was (it holds the"
                + " state of the last tenth of a stage that completed), so --resume can continue from there.";
        return new UtadException("Training stopped: " + stageName + " produced " + what + " that is not a number or"
                + " infinite at iteration " + (iteration + 1) + " of " + total + " (" + values + ")." + history + " " + kept
                + " Likely causes: wrong arithmetic in this CPU's kernels (numerics self-check: " + numerics + "), or"
                + " a learning rate too high for these images. What to try: run Engine Info (bin/utad engine);"
                + " lower stage" + stage + ".learning_rate (for example to half its value) and train again; check"
                + " the training images for saturated or constant areas.");
    }
}
