package org.utad.core;

/**
 * A failure the user can act on: the message says what was wrong and what to do.
 *
 * <p>All domain errors of the plugin are of this type (or a subclass), so that commands can show
 * the message as it is in a dialog or on the console, while unexpected exceptions are reported as
 * internal errors with their stack trace in the log.
 */
public class UtadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong and what to do about it, in words for the user
     */
    public UtadException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do about it, in words for the user
     * @param cause   the underlying exception, kept for the log
     */
    public UtadException(String message, Throwable cause) {
        super(message, cause);
    }
}
