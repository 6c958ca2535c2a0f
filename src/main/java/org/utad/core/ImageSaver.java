package org.utad.core;

import java.nio.file.Path;

/**
 * Writes result images to files. Like {@link ImageLoader}, the implementation (TIFF and PNG through
 * ImageJ) is injected, so batch detection stays free of ImageJ while the CLI and the Fiji commands
 * write the same files.
 *
 * <p>Implementations write atomically (a temporary file renamed into place) and never replace an
 * existing file unless {@code overwrite} is true.
 */
public interface ImageSaver {
    /**
     * Saves an anomaly map as a 32-bit float TIFF with the image's calibration, the description of
     * its scale as the image's Info, and the display range it is shown with, so that the file opens
     * in ImageJ with the same numbers, look and explanation as the heatmap shown on screen.
     *
     * @param map        the map, single-channel
     * @param info       what the values mean (the scale and the thresholds), in words
     * @param displayMax the value shown at full colour (the display runs from 0)
     * @param file       the target file
     * @param overwrite  whether an existing file may be replaced
     * @throws InvalidInputException if the file exists and overwrite is false, or cannot be written
     */
    void saveHeatmapTiff(FloatImage map, String info, double displayMax, Path file, boolean overwrite);

    /**
     * Saves a binary mask as an 8-bit PNG with values 0 and 255.
     *
     * @param mask      the mask, row-major
     * @param width     its width
     * @param height    its height
     * @param file      the target file
     * @param overwrite whether an existing file may be replaced
     * @throws InvalidInputException if the file exists and overwrite is false, or cannot be written
     */
    void saveMaskPng(boolean[] mask, int width, int height, Path file, boolean overwrite);
}
