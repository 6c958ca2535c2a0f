package org.utad.infer;

import org.utad.core.FloatImage;
import org.utad.core.ForwardingPixelSource;
import org.utad.core.InvalidInputException;
import org.utad.core.PixelSource;

/**
 * A pixel source seen with the model's channels: each rectangle is converted (RGB averaged to grey,
 * or grey copied to R, G and B, as {@link ColorConversion} does for whole images) and checked for
 * non-finite samples as it is read, so that detection on a source never needs the whole image.
 */
final class ConformedSource extends ForwardingPixelSource {
    private final int channels;

    /**
     * @param source   the raw source, already checked to be convertible
     * @param channels the model's channels, 1 or 3
     */
    ConformedSource(PixelSource source, int channels) {
        super(source);
        this.channels = channels;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public void read(int x, int y, int w, int h, float[] into) {
        PixelSource.checkRectangle(this, x, y, w, h, into);
        if (source().channels() == channels) {
            source().read(x, y, w, h, into);
        } else {
            float[] raw = new float[w * h * source().channels()];
            source().read(x, y, w, h, raw);
            float[] samples = ColorConversion.convert(FloatImage.of(w, h, source().channels(), raw), channels).data();
            System.arraycopy(samples, 0, into, 0, samples.length);
        }
        requireFinite(this, x, y, w, h, into);
    }

    /**
     * Refuses a rectangle of samples with a NaN or infinite value, which the networks would silently
     * spread, naming the first such pixel in image coordinates.
     *
     * @param img     the image the rectangle belongs to (its name and channels)
     * @param x       the rectangle's left column
     * @param y       its top row
     * @param w       its width
     * @param h       its height
     * @param samples its planar samples
     * @throws InvalidInputException at the first non-finite sample
     */
    static void requireFinite(PixelSource img, int x, int y, int w, int h, float[] samples) {
        for (int i = 0; i < w * h * img.channels(); i++) {
            if (!Float.isFinite(samples[i])) {
                throw new InvalidInputException("Image " + img.name() + " has a NaN or infinite pixel at (x="
                        + (x + i % w) + ", y=" + (y + (i / w) % h) + "). Remove or repair such pixels before detection.");
            }
        }
    }
}
