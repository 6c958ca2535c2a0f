package org.utad.command;

import ij.IJ;

/**
 * Logs to ImageJ's Log window, which is where ImageJ users look; when ImageJ runs without a window
 * (batch mode from the command line) ImageJ prints these lines on standard output instead.
 */
public final class IjLog implements UserLog {
    /** The prefix of every line, so UTAD's lines stand out among other plugins'. */
    static final String PREFIX = "[UTAD] ";

    @Override
    public void info(String message) {
        IJ.log(PREFIX + message);
    }

    @Override
    public void warn(String message) {
        IJ.log(PREFIX + "Warning: " + message);
    }

    @Override
    public void error(String message, Throwable cause) {
        IJ.log(PREFIX + "Error: " + message);
        if (cause != null) {
            IJ.log(stackTrace(cause));
        }
    }

    /**
     * Renders an exception and its causes as text, for a bug report pasted from the Log window.
     *
     * @param e the exception
     * @return one line per frame, causes after "Caused by:"
     */
    static String stackTrace(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            sb.append(t == e ? "" : "Caused by: ").append(t).append('\n');
            for (StackTraceElement f : t.getStackTrace()) {
                sb.append("    at ").append(f).append('\n');
            }
        }
        return sb.toString();
    }
}
