package org.utad.core;

/**
 * Spatial calibration of an image: the physical size of one pixel and its unit.
 *
 * <p>Kept on core images so that heatmaps and masks handed back to the user have the same pixel
 * size as the input they came from (microscopy measurements depend on it).
 *
 * @param pixelWidth  physical width of a pixel
 * @param pixelHeight physical height of a pixel
 * @param unit        the unit of length, such as "micron"; "pixel" when uncalibrated
 */
public record Calibration(double pixelWidth, double pixelHeight, String unit) {
    /** The calibration of an image with no physical scale: 1 pixel per pixel. */
    public static final Calibration NONE = new Calibration(1, 1, "pixel");

    /** @return true if this calibration carries a physical scale */
    public boolean isCalibrated() {
        return !(pixelWidth == 1 && pixelHeight == 1 && "pixel".equals(unit));
    }
}
