package org.utad.core;

import java.util.Objects;

/**
 * A pixel source made of its description and a function that reads rectangles: the way to show an
 * existing source with another face without forwarding each of its questions by hand. Detection's
 * view of an image with the model's channels converts each rectangle as it is read; a source that
 * watches what is read notes each rectangle and passes it on.
 *
 * @param width       width in pixels, at least 1
 * @param height      height in pixels, at least 1
 * @param channels    number of channels (1 grey, 3 RGB)
 * @param bitDepth    the bit depth of the samples' origin (8, 16 or 32)
 * @param name        a name for messages and outputs
 * @param calibration the spatial calibration
 * @param reader      reads a rectangle that {@link #read} has already checked against these bounds
 */
public record SourceView(int width, int height, int channels, int bitDepth, String name, Calibration calibration,
                         Reader reader) implements PixelSource {
    /** Reads a rectangle of every channel, planar from index 0, as {@link PixelSource#read} does. */
    @FunctionalInterface
    public interface Reader {
        /**
         * @param x      left column, inside the image
         * @param y      top row, inside the image
         * @param width  columns, inside the image
         * @param height rows, inside the image
         * @param into   receives {@code channels * width * height} samples
         */
        void read(int x, int y, int width, int height, float[] into);
    }

    /** @throws IllegalArgumentException if a size is not positive or a part is missing */
    public SourceView {
        if (width < 1 || height < 1 || channels < 1) {
            throw new IllegalArgumentException("A source view needs a positive size and channel count, got "
                    + width + "x" + height + "x" + channels);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(reader, "reader");
    }

    /**
     * A view with a source's size, bit depth, name and calibration.
     *
     * @param source   the source described
     * @param channels the view's channels, which may differ from the source's when the reader converts
     * @param reader   reads the view's rectangles, usually from {@code source}
     * @return the view
     */
    public static SourceView of(PixelSource source, int channels, Reader reader) {
        return new SourceView(source.width(), source.height(), channels, source.bitDepth(), source.name(),
                source.calibration(), reader);
    }

    /** Checks the rectangle against this view's bounds and the buffer's length, then reads it. */
    @Override
    public void read(int x, int y, int width, int height, float[] into) {
        PixelSource.checkRectangle(this, x, y, width, height, into);
        reader.read(x, y, width, height, into);
    }
}
