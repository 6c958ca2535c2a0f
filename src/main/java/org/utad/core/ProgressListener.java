package org.utad.core;

/**
 * Receives a job's progress. The one progress interface of the plugin: adapters translate it to
 * Fiji's status bar and log, to the console, or to a recorder in tests.
 *
 * <p>Listeners are called on the job's thread and must return quickly.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything, for callers that do not show progress. */
    ProgressListener NONE = event -> { };

    /**
     * Called at each reported step.
     *
     * @param event what happened
     */
    void onProgress(ProgressEvent event);
}
