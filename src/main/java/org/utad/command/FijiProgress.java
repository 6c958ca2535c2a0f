package org.utad.command;

import ij.IJ;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.utad.core.CancellationToken;
import org.utad.core.ProgressEvent;
import org.utad.core.ProgressListener;

/**
 * Shows a job's progress the ImageJ way and turns the user's ways of stopping it into the job's
 * {@link CancellationToken}: ImageJ's status bar and progress bar follow every step (at most ten
 * updates a second), the log gets phase messages at once and step reports every few seconds and
 * at the end of each stage, and each event polls the command's cancel request, ImageJ's Esc key and
 * the thread's interrupt flag (a cancelled SciJava task interrupts its thread).
 */
public final class FijiProgress implements ProgressListener {
    private static final long STATUS_INTERVAL_NANOS = 100_000_000L;
    private final UserLog log;
    private final CancellationToken token;
    private final BooleanSupplier cancelRequested;
    private final long logIntervalNanos;
    private long lastLog;
    private long lastStatus;
    private boolean cancelLogged;

    /**
     * Creates the adapter and forgets any Esc pressed before the job started.
     *
     * @param log                where log lines go
     * @param token              the job's token, cancelled when the user asks to stop
     * @param cancelRequested    the command's own cancel request (SciJava's {@code isCanceled})
     * @param logIntervalSeconds the least time between two step reports in the log
     */
    public FijiProgress(UserLog log, CancellationToken token, BooleanSupplier cancelRequested,
                        double logIntervalSeconds) {
        this.log = log;
        this.token = token;
        this.cancelRequested = cancelRequested;
        this.logIntervalNanos = (long) (logIntervalSeconds * 1e9);
        this.lastLog = System.nanoTime();
        IJ.resetEscape();
    }

    @Override
    public void onProgress(ProgressEvent e) {
        pollCancel();
        long now = System.nanoTime();
        boolean stageEnd = e.totalSteps() > 0 && e.step() >= e.totalSteps();
        if (e.totalSteps() > 0 && (stageEnd || now - lastStatus >= STATUS_INTERVAL_NANOS)) {
            lastStatus = now;
            IJ.showStatus("UTAD " + e.stage() + ": " + e.step() + "/" + e.totalSteps() + left(e));
            IJ.showProgress((int) Math.min(Integer.MAX_VALUE, e.step()), (int) Math.min(Integer.MAX_VALUE,
                    e.totalSteps()));
        }
        if (e.totalSteps() <= 0) {
            IJ.showStatus("UTAD " + e.stage() + ": " + e.message());
            log.info(e.message());
        } else if (stageEnd || now - lastLog >= logIntervalNanos) {
            lastLog = now;
            log.info(e.line() + left(e));
        }
    }

    /**
     * Checks the user's stop requests and cancels the token on the first one; the job stops at its
     * next check and ends cleanly.
     */
    public void pollCancel() {
        if (token.isCancelled()) {
            return;
        }
        boolean stop = cancelRequested.getAsBoolean() || IJ.escapePressed() || Thread.currentThread().isInterrupted();
        if (stop) {
            token.cancel();
            if (!cancelLogged) {
                cancelLogged = true;
                log.info("Stopping at the next safe point...");
            }
        }
    }

    /** Clears the progress bar and status line once the job is over, however it ended. */
    public void done() {
        IJ.showProgress(1.0);
        IJ.showStatus("");
    }

    private static String left(ProgressEvent e) {
        return Double.isFinite(e.secondsLeft()) && e.secondsLeft() >= 0
                ? String.format(Locale.ROOT, " (%.0f s left)", e.secondsLeft()) : "";
    }
}
