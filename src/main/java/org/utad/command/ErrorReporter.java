package org.utad.command;

import ij.IJ;
import ij.macro.Interpreter;
import java.awt.GraphicsEnvironment;
import java.util.Optional;
import org.utad.core.CancelledException;
import org.utad.core.MissingLibrary;
import org.utad.core.UtadException;

/**
 * Tells the user why a command failed, in the way that suits how ImageJ runs: a dialog when someone
 * is looking at the screen, a log line (standard output or error) when headless or in command-line
 * batch mode, where a dialog would hang the job.
 *
 * <p>A stop the user asked for (Esc, a cancelled task) is no failure: it is logged as what happened
 * and how to go on, without an error dialog. Expected failures (bad input, unusable model) are
 * reported by their message, which says what to fix; an incomplete install (a class of a required
 * library is missing) names the library and how to install it (see {@link MissingLibrary}); anything
 * else is an internal error and also logs its stack trace for a bug report.
 */
public final class ErrorReporter {
    /** The longest line of an error dialog, in characters. */
    private static final int DIALOG_COLUMNS = 90;
    private final UserLog log;
    private final boolean interactive;

    /**
     * Creates a reporter for one command run.
     *
     * @param log         where messages go
     * @param interactive whether a dialog may be shown (see {@link #isInteractive()})
     */
    public ErrorReporter(UserLog log, boolean interactive) {
        this.log = log;
        this.interactive = interactive;
    }

    /**
     * Tells whether a person can answer a dialog: not when Java runs headless, and not in ImageJ's
     * command-line batch mode ({@code ImageJ -batch}), which has no ImageJ window and where a modal
     * dialog would block until killed.
     *
     * @return true when dialogs may be shown
     */
    public static boolean isInteractive() {
        return !GraphicsEnvironment.isHeadless() && !(IJ.getInstance() == null && Interpreter.isBatchMode());
    }

    /**
     * Reports a failure.
     *
     * @param title the command's name, the dialog's title
     * @param e     what went wrong
     * @return the message shown to the user
     */
    public String report(String title, Throwable e) {
        String message = messageOf(e);
        if (e instanceof CancelledException) {
            log.info(title + " stopped, as you asked. " + message);
            IJ.showStatus(title + ": stopped, as you asked");
            return message;
        }
        boolean internal = !isExpected(e);
        log.error(title + ": " + message, internal ? e : null);
        if (interactive) {
            IJ.error(title, wrap(message, DIALOG_COLUMNS));
        }
        return message;
    }

    /**
     * Breaks a message into lines of at most {@code width} characters at spaces, keeping its own
     * line breaks: ImageJ's message dialog does not wrap, so a long message (such as the install
     * advice of {@link MissingLibrary}) would otherwise make a dialog wider than the screen.
     *
     * @param text  the message
     * @param width the longest line wanted; a single longer word (a path) keeps its own line
     * @return the wrapped message
     */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (String paragraph : text.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            int lineStart = out.length();
            for (String word : paragraph.split(" ")) {
                if (out.length() > lineStart && out.length() - lineStart + 1 + word.length() > width) {
                    out.append('\n');
                    lineStart = out.length();
                } else if (out.length() > lineStart) {
                    out.append(' ');
                }
                out.append(word);
            }
        }
        return out.toString();
    }

    /**
     * The text a user gets for an exception.
     *
     * @param e the exception
     * @return its message for expected failures, what to install when a library is missing, else a
     *         request to report the internal error
     */
    public static String messageOf(Throwable e) {
        Optional<String> missing = MissingLibrary.explain(e);
        if (missing.isPresent()) {
            return missing.get();
        }
        String m = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return isExpected(e) ? m : "Internal error (please report it with the Log's contents): " + e;
    }

    /**
     * @param e an exception
     * @return true for failures whose message speaks to the user: UTAD's own (invalid input, model
     *         format, cancellation), invalid option values and a library missing from the install
     */
    static boolean isExpected(Throwable e) {
        return e instanceof UtadException || e instanceof IllegalArgumentException
                || MissingLibrary.explain(e).isPresent();
    }
}
