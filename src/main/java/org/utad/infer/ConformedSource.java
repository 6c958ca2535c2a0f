package org.utad.infer;

import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.PixelSource;
import org.utad.core.SourceView;

/**
 * Shows a pixel source with the model's channels: each rectangle is converted (RGB averaged to grey,
 * or grey copied to R, G and B, as {@link ColorConversion} does for whole images) and checked for
 * non-finite samples as it is read, so that detection on a source never needs the whole image.
 */
final class ConformedSource {
    private ConformedSource() {
    }

    /**
     * @param source   the raw source, already checked to be convertible
     * @param channels the model's channels, 1 or 3
     * @return the source as the model sees it
     */
    static PixelSource of(PixelSource source, int channels) {
        return SourceView.of(source, channels, (x, y, w, h, into) -> {
            if (source.channels() == channels) {
                source.read(x, y, w, h, into);
            } else {
                float[] raw = new float[w * h * source.channels()];
                source.read(x, y, w, h, raw);
                float[] samples = ColorConversion.convert(FloatImage.of(w, h, source.channels(), raw), channels).data();
                System.arraycopy(samples, 0, into, 0, samples.length);
            }
            requireFinite(source.name(), channels, x, y, w, h, into);
        });
    }

    /**
     * Refuses a rectangle of samples with a NaN or infinite value, which the networks would silently
     * spread, naming the first such pixel in image coordinates.
     *
     * @param name     the name of the image the rectangle belongs to
     * @param channels the rectangle's channels
     * @param x        the rectangle's left column
     * @param y        its top row
     * @param w        its width
     * @param h        its height
     * @param samples  its planar samples
     * @throws InvalidInputException at the first non-finite sample
     */
    static void requireFinite(String name, int channels, int x, int y, int w, int h, float[] samples) {
        for (int i = 0; i < w * h * channels; i++) {
            if (!Float.isFinite(samples[i])) {
                throw new InvalidInputException("Image " + name + " has a NaN or infinite pixel at (x="
                        + (x + i % w) + ", y=" + (y + (i / w) % h) + "). Remove or repair such pixels before detection.");
            }
        }
    }
}
