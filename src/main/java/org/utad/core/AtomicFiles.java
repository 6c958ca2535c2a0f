package org.utad.core;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a file so that a reader, or a process killed half-way, only ever sees the old file or
 * the complete new one: the content goes to a hidden temporary file in the same folder, which is
 * then renamed over the target. Model bundles, result images and text tables are all written this
 * way; each caller adds its own checks (overwrite, folder) and words its own error.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Body {
        /**
         * @param tmp the temporary file to write; it exists and is empty
         * @throws IOException if writing fails
         */
        void write(Path tmp) throws IOException;
    }

    /**
     * Writes {@code body} to a temporary file next to {@code target} and moves it over the target in
     * one step (a plain replacing move where the file system cannot move atomically). If anything
     * fails, including an unchecked exception thrown by the body, the temporary file is removed and
     * the target is left as it was.
     *
     * @param target the file to create or replace; its folder must exist
     * @param body   writes the content
     * @throws IOException if the temporary file cannot be created or written, or the move fails
     */
    public static void replace(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path tmp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            body.write(tmp);
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The temporary file is hidden; the failure that got us here is the one to report.
                }
            }
        }
    }
}
