package org.utad.core;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads image files into core images. The algorithm only knows this interface; the implementation
 * that understands TIFF, PNG, JPEG and BMP lives with the ImageJ adapters, so the core stays free of
 * ImageJ while the CLI, commands and tests all read files the same way.
 */
public interface ImageLoader {
    /**
     * Reads one file. A multi-page file (a stack) gives one image per slice.
     *
     * @param file the image file
     * @return its images, at least one, named after the file (and slice)
     * @throws InvalidInputException if the file is missing, of an unsupported type or unreadable;
     *                               the message names the file
     */
    List<FloatImage> load(Path file);
}
