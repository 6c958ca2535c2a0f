package org.utad.command;

import ij.IJ;
import java.util.ArrayList;
import java.util.List;

/**
 * Logs to ImageJ's Log window, which is where ImageJ users look; when ImageJ runs without a window
 * (batch mode from the command line) ImageJ prints these lines on standard output instead. Every
 * line of a message carries the prefix, including the lines of a multi-line summary, so UTAD's
 * lines can be told from other plugins' and filtered.
 */
public final class IjLog implements UserLog {
    /** The prefix of every line, so UTAD's lines stand out among other plugins'. */
    static final String PREFIX = "[UTAD] ";

    @Override
    public void info(String message) {
        prefixed("", message).forEach(IJ::log);
    }

    @Override
    public void warn(String message) {
        prefixed("Warning: ", message).forEach(IJ::log);
    }

    @Override
    public void error(String message, Throwable cause) {
        prefixed("Error: ", message).forEach(IJ::log);
        if (cause != null) {
            IJ.log(stackTrace(cause));
        }
    }

    /**
     * Puts the prefix before every line of a message.
     *
     * @param kind    what leads the first line after the prefix ("Warning: ", "Error: " or "")
     * @param message one or more lines
     * @return the lines, each starting with the prefix, to be logged one by one
     */
    static List<String> prefixed(String kind, String message) {
        String[] lines = String.valueOf(message).split("\\R", -1);
        List<String> out = new ArrayList<>(lines.length);
        for (int i = 0; i < lines.length; i++) {
            out.add(PREFIX + (i == 0 ? kind : "") + lines[i]);
        }
        return out;
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
