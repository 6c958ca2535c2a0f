package org.utad.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.utad.core.AtomicFiles;
import org.utad.core.InvalidInputException;

/**
 * Writes the jobs' text tables (scores.csv, metrics) so that a reader, or a run killed half-way,
 * only ever sees a complete file ({@link AtomicFiles}), with a job's error message.
 */
final class TextFiles {
    private TextFiles() {
    }

    /**
     * Replaces a file's content atomically.
     *
     * @param file the target
     * @param text its new content, written as UTF-8
     * @throws InvalidInputException if the folder cannot be written; no temporary file is left
     */
    static void writeAtomically(Path file, String text) {
        try {
            AtomicFiles.replace(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidInputException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
