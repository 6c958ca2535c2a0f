package org.utad.core;

/**
 * Thrown when a job stops because its {@link CancellationToken} was cancelled. It is not an error:
 * the job has released its resources and left any checkpoint or output it wrote in a valid state.
 */
public class CancelledException extends UtadException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message where the job stopped and what was kept
     */
    public CancelledException(String message) {
        super(message);
    }
}
