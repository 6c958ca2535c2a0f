package org.utad.command;

import java.awt.GraphicsEnvironment;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.utad.core.CancellationToken;
import org.utad.core.CancelledException;
import org.utad.core.UtadException;
import org.utad.engine.Engines;

/**
 * What every UTAD SciJava command shares: the log, the progress adapter wired to SciJava's cancel
 * request, and one way of failing, which also covers a library missing from the install. A failure
 * is shown in a dialog and cancels the command (so no half-made outputs are displayed) when Fiji
 * has a screen; headless it goes to the log and the command throws, so a script or
 * {@code CommandService.run(...).get()} sees it fail. A stop the user asked for is no failure: the
 * log says what happened and how to go on, the command ends cancelled without a reason to show as
 * an error, and headless the {@link CancelledException} itself reaches the caller instead of a
 * "failed" wrapper.
 *
 * <p>SciJava runs commands on a worker thread, never the event thread, so the jobs may take long.
 */
public abstract class UtadCommand extends ContextCommand {
    /** Seconds between two step reports in the log. */
    private static final double LOG_INTERVAL_SECONDS = 5;

    @Parameter
    private LogService logService;

    /**
     * One command's work.
     */
    @FunctionalInterface
    protected interface Work {
        /**
         * Does the work.
         *
         * @param log      where to write lines for the user
         * @param progress the progress adapter (also the cancellation poller)
         * @param cancel   the job's cancellation token
         */
        void run(UserLog log, FijiProgress progress, CancellationToken cancel);
    }

    /**
     * Runs the work, reporting any failure as described in the class comment.
     *
     * @param title the command's name, for messages
     * @param work  the work
     */
    protected final void execute(String title, Work work) {
        UserLog log = new SciJavaLog(logService);
        CancellationToken cancel = new CancellationToken();
        FijiProgress progress = new FijiProgress(log, cancel, this::isCanceled, LOG_INTERVAL_SECONDS);
        try {
            Engines.offline();
            work.run(log, progress, cancel);
        } catch (RuntimeException | LinkageError e) {
            String message = new ErrorReporter(log, ErrorReporter.isInteractive()).report(title, e);
            boolean asked = e instanceof CancelledException;
            if (GraphicsEnvironment.isHeadless()) {
                if (asked) {
                    throw (CancelledException) e;
                }
                throw new UtadException(title + " failed: " + message, e);
            }
            cancel(asked ? null : message);
        } finally {
            progress.done();
        }
    }
}
