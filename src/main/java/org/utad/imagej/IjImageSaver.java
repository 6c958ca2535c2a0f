package org.utad.imagej;

import java.nio.file.Path;
import org.utad.core.FloatImage;
import org.utad.core.ImageSaver;

/**
 * The {@link ImageSaver} that batch detection uses in Fiji and on the command line: 32-bit TIFFs
 * with calibration and 0/255 PNG masks, written atomically by {@link ImageWriter}.
 */
public final class IjImageSaver implements ImageSaver {
    @Override
    public void saveHeatmapTiff(FloatImage map, String info, double displayMax, Path file, boolean overwrite) {
        ImageWriter.writeHeatmapTiff(map, info, displayMax, file, overwrite);
    }

    @Override
    public void saveMaskPng(boolean[] mask, int width, int height, Path file, boolean overwrite) {
        ImageWriter.writeMaskPng(mask, width, height, file, overwrite);
    }
}
