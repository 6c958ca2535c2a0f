package org.utad.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * A plain 2D image of float samples, possibly with several channels, that the algorithm works on.
 *
 * <p>This is the one image type shared by every room of the plugin, so that the algorithm never
 * depends on ImageJ or ImgLib2: adapters convert to and from it at the edges. Samples are stored
 * planar (channel-major, then row-major: {@code data[c * width * height + y * width + x]}), which is
 * also the CHW layout the networks want, so a batch is built without reordering.
 *
 * <p>The image remembers the bit depth it was read from (8, 16 or 32; RGB is 8 with 3 channels)
 * because normalisation depends on it, and optional spatial calibration so outputs can carry the
 * input's pixel size back to the user. The sample array is owned by the image; callers that need to
 * modify samples should work on a {@link #copy()}. As a {@link PixelSource} it hands out rectangles of
 * its samples, so detection reads tiles of it the same way as tiles of a script's ImgLib2 image.
 */
public final class FloatImage implements PixelSource {
    private final int width;
    private final int height;
    private final int channels;
    private final float[] data;
    private final int bitDepth;
    private final String name;
    private final Calibration calibration;

    /**
     * Creates an image over the given samples.
     *
     * @param width       width in pixels, at least 1
     * @param height      height in pixels, at least 1
     * @param channels    number of channels (1 grey, 3 RGB), at least 1
     * @param data        planar samples, of length {@code width * height * channels}
     * @param bitDepth    the source bit depth, 8, 16 or 32 (RGB sources use 8)
     * @param name        a name for messages and outputs (file name or slice label); may be null
     * @param calibration spatial calibration; null means uncalibrated pixels
     * @throws IllegalArgumentException if the dimensions do not match the data or are not positive
     */
    public FloatImage(int width, int height, int channels, float[] data, int bitDepth, String name,
                      Calibration calibration) {
        if (width < 1 || height < 1 || channels < 1) {
            throw new IllegalArgumentException(
                    "Image dimensions must be positive, got " + width + "x" + height + "x" + channels);
        }
        Objects.requireNonNull(data, "data");
        if ((long) width * height * channels != data.length) {
            throw new IllegalArgumentException("Image data has " + data.length + " samples but "
                    + width + "x" + height + "x" + channels + " needs " + ((long) width * height * channels));
        }
        if (bitDepth != 8 && bitDepth != 16 && bitDepth != 32) {
            throw new IllegalArgumentException("Bit depth must be 8, 16 or 32, got " + bitDepth);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.data = data;
        this.bitDepth = bitDepth;
        this.name = name == null ? "image" : name;
        this.calibration = calibration == null ? Calibration.NONE : calibration;
    }

    /**
     * Creates an uncalibrated 32-bit image, the usual form of derived images such as maps.
     *
     * @param width    width in pixels
     * @param height   height in pixels
     * @param channels number of channels
     * @param data     planar samples
     * @return the new image, named "image"
     */
    public static FloatImage of(int width, int height, int channels, float[] data) {
        return new FloatImage(width, height, channels, data, 32, null, null);
    }

    /** @return width in pixels */
    public int width() {
        return width;
    }

    /** @return height in pixels */
    public int height() {
        return height;
    }

    /** @return number of channels (1 grey, 3 RGB) */
    public int channels() {
        return channels;
    }

    /** @return number of pixels in one channel, {@code width * height} */
    public int planeSize() {
        return width * height;
    }

    /**
     * The planar samples, not copied, so large images are not duplicated on every access.
     *
     * @return the backing array; do not modify it unless you own the image
     */
    public float[] data() {
        return data;
    }

    /** @return the bit depth of the source (8, 16 or 32), which selects the normalisation */
    public int bitDepth() {
        return bitDepth;
    }

    /** @return the image's name, used in messages and output file names */
    public String name() {
        return name;
    }

    /** @return the spatial calibration, {@link Calibration#NONE} when uncalibrated */
    public Calibration calibration() {
        return calibration;
    }

    /**
     * Reads one sample.
     *
     * @param x column
     * @param y row
     * @param c channel
     * @return the sample value
     */
    public float get(int x, int y, int c) {
        return data[c * width * height + y * width + x];
    }

    /**
     * Writes one sample; meant for building images in tests and generators.
     *
     * @param x     column
     * @param y     row
     * @param c     channel
     * @param value the new sample value
     */
    public void set(int x, int y, int c, float value) {
        data[c * width * height + y * width + x] = value;
    }

    /**
     * Copies a rectangle of every channel, planar, for detection's tiles.
     *
     * @param x      left column
     * @param y      top row
     * @param w      columns
     * @param h      rows
     * @param into   receives {@code channels * w * h} samples from index 0
     * @throws IllegalArgumentException if the rectangle leaves the image or {@code into} is too short
     */
    @Override
    public void read(int x, int y, int w, int h, float[] into) {
        PixelSource.checkRectangle(this, x, y, w, h, into);
        for (int c = 0; c < channels; c++) {
            for (int row = 0; row < h; row++) {
                System.arraycopy(data, c * width * height + (y + row) * width + x, into, (c * h + row) * w, w);
            }
        }
    }

    /** @return this image itself: its samples are already in memory */
    @Override
    public FloatImage readAll() {
        return this;
    }

    /** @return a deep copy that shares nothing with this image */
    public FloatImage copy() {
        return new FloatImage(width, height, channels, data.clone(), bitDepth, name, calibration);
    }

    /**
     * Returns an image with the same samples and a different name, so results can be labelled
     * without copying pixels.
     *
     * @param newName the new name
     * @return a view with the new name sharing the sample array
     */
    public FloatImage withName(String newName) {
        return new FloatImage(width, height, channels, data, bitDepth, newName, calibration);
    }

    /**
     * Returns an image with the same geometry and metadata holding other samples, for maps that
     * must carry the input's name and calibration back to the user.
     *
     * @param newChannels channels of the new data
     * @param newData     planar samples of length {@code width * height * newChannels}
     * @return a 32-bit image with this image's size, name and calibration
     */
    public FloatImage withData(int newChannels, float[] newData) {
        return new FloatImage(width, height, newChannels, newData, 32, name, calibration);
    }

    /**
     * Finds the first sample that is NaN or infinite, since the networks would silently spread it.
     *
     * @return the index of the first non-finite sample, or -1 if all samples are finite
     */
    public int firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return name + " (" + width + "x" + height + "x" + channels + ", " + bitDepth + "-bit)";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FloatImage)) {
            return false;
        }
        FloatImage other = (FloatImage) o;
        return width == other.width && height == other.height && channels == other.channels
                && bitDepth == other.bitDepth && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, channels, bitDepth, Arrays.hashCode(data));
    }
}
