package org.utad.core;

/**
 * A 2D image of float samples that is read a rectangle at a time, so that detection can work on an
 * image without holding all of its pixels: a script's ImgLib2 view of a large or virtual image is
 * read tile by tile, while a {@link FloatImage} simply copies from its array.
 *
 * <p>Samples come out planar, as in {@link FloatImage}: channel-major, then row-major. The source
 * also says what normalisation and outputs need to know: the bit depth it was read from, a name for
 * messages and a spatial calibration for the maps.
 */
public interface PixelSource {
    /** @return width in pixels, at least 1 */
    int width();

    /** @return height in pixels, at least 1 */
    int height();

    /** @return number of channels (1 grey, 3 RGB) */
    int channels();

    /** @return the bit depth of the samples' origin (8, 16 or 32), which selects the normalisation */
    int bitDepth();

    /** @return a name for messages and outputs */
    String name();

    /** @return the spatial calibration, {@link Calibration#NONE} when uncalibrated */
    Calibration calibration();

    /**
     * Reads a rectangle of every channel.
     *
     * @param x      left column, {@code 0 <= x} and {@code x + width <= width()}
     * @param y      top row, {@code 0 <= y} and {@code y + height <= height()}
     * @param width  columns to read, at least 1
     * @param height rows to read, at least 1
     * @param into   receives {@code channels() * width * height} samples, planar, from index 0
     * @throws IllegalArgumentException if the rectangle leaves the image or {@code into} is too short
     */
    void read(int x, int y, int width, int height, float[] into);

    /**
     * Reads the whole image into a core image, for the paths that need every pixel at once (resize
     * mode, images smaller than one tile).
     *
     * @return an image with this source's samples, bit depth, name and calibration
     */
    default FloatImage readAll() {
        float[] data = new float[Math.multiplyExact(Math.multiplyExact(width(), height()), channels())];
        read(0, 0, width(), height(), data);
        return new FloatImage(width(), height(), channels(), data, bitDepth(), name(), calibration());
    }

    /**
     * Checks a rectangle against an image's bounds and a buffer's length, as every
     * {@link #read} does first.
     *
     * @param source the image
     * @param x      left column
     * @param y      top row
     * @param width  columns
     * @param height rows
     * @param into   the buffer
     * @throws IllegalArgumentException if the rectangle leaves the image or the buffer is too short
     */
    static void checkRectangle(PixelSource source, int x, int y, int width, int height, float[] into) {
        if (x < 0 || y < 0 || width < 1 || height < 1 || x > source.width() - width
                || y > source.height() - height) {
            throw new IllegalArgumentException("Rectangle " + width + "x" + height + " at (" + x + ", " + y
                    + ") leaves the " + source.width() + "x" + source.height() + " image " + source.name());
        }
        if ((long) width * height * source.channels() > into.length) {
            throw new IllegalArgumentException("A buffer of " + into.length + " samples cannot hold "
                    + width + "x" + height + "x" + source.channels());
        }
    }
}
