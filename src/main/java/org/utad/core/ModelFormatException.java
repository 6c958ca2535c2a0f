package org.utad.core;

/**
 * A model bundle cannot be read or does not match what it claims to hold (missing, truncated,
 * another format version, parameters of another architecture). The message names the file.
 */
public class ModelFormatException extends UtadException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong with the model file and what to do
     */
    public ModelFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong with the model file and what to do
     * @param cause   the underlying exception
     */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
