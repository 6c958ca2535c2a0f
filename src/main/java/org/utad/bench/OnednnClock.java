package org.utad.bench;

import java.util.List;
import java.util.Locale;

/**
 * oneDNN's own account of where a step's time went: the execution times its verbose mode
 * ({@code ONEDNN_VERBOSE=1}) prints for every primitive it runs, summed per kind and per step.
 *
 * <p>Why: PyTorch's profiler, read through DJL, charged a stage 1 step 179 ms inside the engine
 * against 67 ms unprofiled, and 13 ms for zeroing one 16 MB array that takes well under one; it cannot
 * say what share of a step the convolutions take. oneDNN times its own primitives, and its overhead
 * stays small (docs/BENCHMARKS.md, issue 17's fourteenth pass).
 *
 * @param steps               the steps the sums cover
 * @param forwardMs           convolutions' forward passes, ms per step
 * @param backwardDataMs      convolutions' input gradients, ms per step
 * @param backwardWeightsMs   convolutions' weight gradients, ms per step
 * @param reorderMs           layout conversions (oneDNN's reorders), ms per step
 * @param otherMs             every other oneDNN primitive, ms per step
 * @param primitivesPerStep   primitive executions per step
 */
public record OnednnClock(int steps, double forwardMs, double backwardDataMs, double backwardWeightsMs,
        double reorderMs, double otherMs, int primitivesPerStep) {

    /** The prefix of the lines oneDNN prints for each primitive it executes. */
    private static final String EXEC = "onednn_verbose,";
    /** Field of the primitive's kind in an execution line (convolution, reorder, ...). */
    private static final int KIND = 5;
    /** Field of the propagation kind (forward_training, backward_data, ...). */
    private static final int PROPAGATION = 7;

    /**
     * Sums oneDNN's execution lines of a run of identical steps. Every step runs the same primitives,
     * so the lines fall into equal blocks, one per step; the first {@code skip} blocks (primitives
     * still being created, caches cold) are left out.
     *
     * @param output the run's standard output; lines that are not oneDNN execution lines are ignored
     * @param steps  how many steps the run executed, at least {@code skip + 1}
     * @param skip   leading steps to leave out
     * @return the sums per step over the remaining steps
     * @throws IllegalArgumentException if the steps do not divide the execution lines evenly (the steps
     *                                  did not run the same primitives) or there are none
     */
    public static OnednnClock of(List<String> output, int steps, int skip) {
        if (skip < 0 || steps <= skip) {
            throw new IllegalArgumentException("Need more steps (" + steps + ") than steps to skip (" + skip + ")");
        }
        List<String[]> lines = output.stream()
                .filter(l -> l.startsWith(EXEC) && l.contains(",primitive,exec,"))
                .map(l -> l.trim().split(","))
                .toList();
        if (lines.isEmpty() || lines.size() % steps != 0) {
            throw new IllegalArgumentException("oneDNN printed " + lines.size() + " execution lines for " + steps
                    + " steps: expected a positive multiple (was ONEDNN_VERBOSE=1 set, and did every step run"
                    + " the same operations?)");
        }
        int perStep = lines.size() / steps;
        double[] sums = new double[5];
        for (String[] f : lines.subList(skip * perStep, lines.size())) {
            double ms = Double.parseDouble(f[f.length - 1]);
            sums[slot(f[KIND], f[PROPAGATION])] += ms;
        }
        int counted = steps - skip;
        return new OnednnClock(counted, sums[0] / counted, sums[1] / counted, sums[2] / counted,
                sums[3] / counted, sums[4] / counted, perStep);
    }

    /** Which sum an execution of this kind and propagation belongs to, in the record's order. */
    private static int slot(String kind, String propagation) {
        if (kind.equals("convolution")) {
            return switch (propagation) {
                case "forward_training", "forward_inference" -> 0;
                case "backward_data" -> 1;
                case "backward_weights" -> 2;
                default -> 4;
            };
        }
        return kind.equals("reorder") ? 3 : 4;
    }

    /** @return the convolutions' time per step, all three passes */
    public double convolutionMs() {
        return forwardMs + backwardDataMs + backwardWeightsMs;
    }

    /**
     * One row of the benchmark's table.
     *
     * @param work   the work's description
     * @param stepMs the step's median time, measured around the whole step
     * @param flops  the operations of one step (the convolutions' multiply-adds, counted twice)
     * @return a Markdown table row: the step, the convolutions (and each pass), the reorders, the other
     *         primitives, the rest, the convolutions' share, and the rates of the convolutions and the step
     */
    public String row(String work, double stepMs, long flops) {
        double rest = stepMs - convolutionMs() - reorderMs - otherMs;
        return String.format(Locale.ROOT,
                "| %s | %.1f | %.1f (%.1f / %.1f / %.1f) | %.1f | %.1f | %.1f | %.0f %% | %.0f | %.0f |", work, stepMs,
                convolutionMs(), forwardMs, backwardDataMs, backwardWeightsMs, reorderMs, otherMs, rest,
                100 * convolutionMs() / stepMs, flops / convolutionMs() / 1e6, flops / stepMs / 1e6);
    }

    /** @return the header of the table {@link #row} writes */
    public static String header() {
        return "| work | step ms | convolutions ms (forward / backward data / backward weights) | reorders ms"
                + " | other oneDNN ms | the rest ms | convolutions' share of the step | convolutions' GFLOP/s"
                + " | step's GFLOP/s |\n|---|---|---|---|---|---|---|---|---|";
    }
}
