package org.utad.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.utad.core.ProgressEvent;
import org.utad.core.ProgressListener;

/**
 * Prints progress to the console at a readable pace: messages always, step reports at most every
 * few seconds and at the end of each stage, with the time left. Public so that the developer
 * benchmarks' entry point ({@code org.utad.bench}) reports progress as {@code utad} does.
 */
public final class ConsoleProgress implements ProgressListener {
    private final PrintStream out;
    private final long intervalNanos;
    private long last;

    /**
     * @param out             where the lines go
     * @param intervalSeconds the least time between two step reports of one stage
     */
    public ConsoleProgress(PrintStream out, double intervalSeconds) {
        this.out = out;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    @Override
    public void onProgress(ProgressEvent e) {
        long now = System.nanoTime();
        boolean end = e.totalSteps() > 0 && e.step() == e.totalSteps();
        if (e.totalSteps() == 0 || end || now - last >= intervalNanos) {
            last = now;
            String left = Double.isFinite(e.secondsLeft()) && e.totalSteps() > 0
                    ? String.format(Locale.ROOT, " (%.0f s left)", e.secondsLeft()) : "";
            out.println(e.line() + left);
            out.flush();
        }
    }
}
