package org.utad.command;

/**
 * Where the commands write lines for the user. The one logging seam of this room: the SciJava
 * commands use {@link SciJavaLog}, the ImageJ 1.x twins {@link IjLog}, tests may record.
 */
public interface UserLog {
    /**
     * A normal message, such as progress or a summary.
     *
     * @param message the line
     */
    void info(String message);

    /**
     * Something the user should notice but that does not stop the job.
     *
     * @param message the line
     */
    void warn(String message);

    /**
     * A failure.
     *
     * @param message what failed and what to do
     * @param cause   the exception, for a stack trace where it helps (internal errors); may be null
     */
    void error(String message, Throwable cause);
}
