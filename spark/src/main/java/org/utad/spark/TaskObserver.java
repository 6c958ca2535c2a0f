package org.utad.spark;

import java.io.Serializable;

/**
 * Told by each task, on its executor, before it starts on an image: a place to hook per-image
 * logging or metrics into a run without touching detection. It travels to the executors with the
 * task, so it must be serializable; an exception it throws fails the task, which Spark then
 * retries like any other task failure (the tests use exactly that to prove retries are safe).
 */
@FunctionalInterface
public interface TaskObserver extends Serializable {
    /** Observes nothing. */
    TaskObserver NONE = (file, attempt) -> { };

    /**
     * Called before an image is detected.
     *
     * @param file    the image file's absolute path
     * @param attempt the task's attempt number: 0 the first time, 1 on the first retry, ...
     */
    void beforeImage(String file, int attempt);
}
