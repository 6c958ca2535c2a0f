package org.utad.core;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A flag that a user interface (or a test) sets to ask a running job to stop.
 *
 * <p>Jobs check it between iterations, batches and tiles, never in the middle of writing a file,
 * so a cancelled job always ends in a consistent state. It is thread-safe: the user interface
 * cancels from its own thread while the job polls from another.
 */
public final class CancellationToken {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** @return a token that nobody holds a reference to cancel, for jobs run to completion */
    public static CancellationToken none() {
        return new CancellationToken();
    }

    /** Asks the job to stop at its next check. */
    public void cancel() {
        cancelled.set(true);
    }

    /** @return true once {@link #cancel()} was called */
    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Stops the job here if it was cancelled.
     *
     * @param where a short description of the job's position, for the message
     * @throws CancelledException if the token was cancelled
     */
    public void throwIfCancelled(String where) {
        if (cancelled.get()) {
            throw new CancelledException("Cancelled " + where + ".");
        }
    }
}
