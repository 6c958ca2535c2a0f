package org.utad.train;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.utad.core.UtadException;

/**
 * Stops training at the first non-finite loss or gradient, before the optimiser applies it.
 *
 * <p>Why: a NaN that reaches the weights never leaves them; the run used to go on to the end, select
 * "best" networks among NaN validations and fail only in calibration, twenty minutes later, with a
 * message that named neither the cause nor a remedy. The stop comes within the iteration where the
 * value appeared, the message says which stage and iteration, the likely causes and what to try, and
 * since it is thrown before any file is written, the last checkpoint stays as it was and no model is
 * written.
 */
final class FiniteGuard {
    private final Path checkpoint;
    private final String numerics;

    /**
     * @param checkpoint the run's checkpoint file, or null when it keeps none
     * @param numerics   the engine's numerics self-check result, quoted as a possible cause
     */
    FiniteGuard(Path checkpoint, String numerics) {
        this.checkpoint = checkpoint;
        this.numerics = numerics;
    }

    /**
     * Checks one step's losses and the gradients its optimisers are about to apply.
     *
     * @param stage      1 or 2
     * @param iteration  the iteration (0-based) being run
     * @param total      the stage's iterations
     * @param losses     the losses computed so far in this step
     * @param optimisers the optimisers whose gradients are checked
     * @throws UtadException if a loss or a gradient is not finite
     */
    void check(int stage, int iteration, int total, Map<String, Double> losses, Adam... optimisers) {
        for (double v : losses.values()) {
            if (!Double.isFinite(v)) {
                throw stop(stage, iteration, total, losses, "a loss");
            }
        }
        for (Adam optimiser : optimisers) {
            if (!optimiser.gradientsFinite()) {
                throw stop(stage, iteration, total, losses, "a gradient (the losses were finite)");
            }
        }
    }

    private UtadException stop(int stage, int iteration, int total, Map<String, Double> losses, String what) {
        StringBuilder values = new StringBuilder();
        losses.forEach((k, v) -> values.append(values.length() == 0 ? "" : ", ")
                .append(k).append('=').append(String.format(Locale.ROOT, "%.4g", v)));
        String stageName = stage == 1 ? "stage 1 (IE-Net)" : "stage 2 (Expert-Net)";
        String kept = checkpoint == null ? "No model was written."
                : "No model was written; the last checkpoint, " + checkpoint + ", was left as it was (it holds the"
                + " state of the last tenth of a stage that completed), so --resume can continue from there.";
        return new UtadException("Training stopped: " + stageName + " produced " + what + " that is not a number or"
                + " infinite at iteration " + (iteration + 1) + " of " + total + " (" + values + "). " + kept
                + " Likely causes: wrong arithmetic in this CPU's kernels (numerics self-check: " + numerics + "), or"
                + " a learning rate too high for these images. What to try: run Engine Info (bin/utad engine);"
                + " lower stage" + stage + ".learning_rate (for example to half its value) and train again; check"
                + " the training images for saturated or constant areas.");
    }
}
