package org.utad.command;

import java.awt.GraphicsEnvironment;
import org.scijava.log.LogService;

/**
 * The log of the SciJava commands: ImageJ's Log window when Fiji has a user interface (the SciJava
 * console is rarely open, so messages there go unseen), and the SciJava {@link LogService} when
 * headless, where it writes to standard error and keeps standard output clean for data.
 */
public final class SciJavaLog implements UserLog {
    private final LogService log;
    private final UserLog gui;

    /**
     * Chooses the destination once, since whether Java runs headless never changes in a session.
     *
     * @param log the context's log service
     */
    public SciJavaLog(LogService log) {
        this.log = log;
        this.gui = GraphicsEnvironment.isHeadless() || log == null ? null : new IjLog();
    }

    @Override
    public void info(String message) {
        if (gui != null) {
            gui.info(message);
        } else if (log != null) {
            log.info(IjLog.PREFIX + message);
        }
    }

    @Override
    public void warn(String message) {
        if (gui != null) {
            gui.warn(message);
        } else if (log != null) {
            log.warn(IjLog.PREFIX + message);
        }
    }

    @Override
    public void error(String message, Throwable cause) {
        if (gui != null) {
            gui.error(message, cause);
        } else if (log != null) {
            log.error(IjLog.PREFIX + message, cause);
        }
    }
}
