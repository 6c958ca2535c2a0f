package org.utad.core;

/**
 * The user's input (images, folders, options) cannot be used; the message names the input and
 * says how to fix it. Commands map it to a usage error rather than an internal failure.
 */
public class InvalidInputException extends UtadException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong with the input and how to fix it
     */
    public InvalidInputException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong with the input and how to fix it
     * @param cause   the underlying exception
     */
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
