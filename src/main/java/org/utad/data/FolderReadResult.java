package org.utad.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.utad.core.FloatImage;

/**
 * What {@link ImageFolder#read} found in a folder: the images it read, in file-name order, and the
 * files it skipped with the reason for each, so that a user can see at once why a folder gave fewer
 * images than expected.
 *
 * @param folder  the folder that was read, for the summary
 * @param images  the images read (a stack file contributes one image per slice), at least one
 * @param skipped one entry per skipped file, {@code "name (reason)"}, in file-name order
 */
public record FolderReadResult(Path folder, List<FloatImage> images, List<String> skipped) {
    /**
     * Checks the components and freezes the lists, so a result can be shared safely.
     *
     * @param folder  the folder that was read
     * @param images  the images read
     * @param skipped the skipped files with reasons
     */
    public FolderReadResult {
        Objects.requireNonNull(folder, "folder");
        images = List.copyOf(images);
        skipped = List.copyOf(skipped);
    }

    /**
     * A one-line account for the log or the console, for example
     * {@code "Read 12 images from /data/good; skipped 2: a.txt (not an image), b.tif (unreadable: ...)"}.
     *
     * @return the summary
     */
    public String summary() {
        StringBuilder sb = new StringBuilder("Read ").append(images.size())
                .append(images.size() == 1 ? " image from " : " images from ").append(folder);
        if (skipped.isEmpty()) {
            return sb.append('.').toString();
        }
        return sb.append("; skipped ").append(skipped.size()).append(": ")
                .append(String.join(", ", skipped)).toString();
    }
}
