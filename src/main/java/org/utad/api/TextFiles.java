package org.utad.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.utad.core.InvalidInputException;

/**
 * Writes the jobs' text tables (scores.csv, metrics) so that a reader, or a run killed half-way,
 * only ever sees a complete file: the text goes to a hidden temporary file in the same folder,
 * which is then renamed over the target.
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
        Path tmp = null;
        try {
            tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new InvalidInputException("Cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The write already failed; that error is the one to report.
                }
            }
        }
    }
}
