package org.utad.infer;

import java.util.Locale;
import org.utad.core.FloatImage;
import org.utad.core.Words;

/**
 * What to do when an image's channels differ from the model's. Nothing is converted silently:
 * the user must choose a conversion, or gets an error naming the mismatch.
 */
public enum ColorConversion {
    /** Refuse mismatched channels. */
    NONE,
    /** Convert RGB input to grey (mean of the channels) for a grey model, or grey input to RGB
     *  (the grey value in all three channels) for an RGB model. */
    AUTO;

    /**
     * Parses a user's word.
     *
     * @param text "none" or "auto"
     * @return the conversion
     */
    public static ColorConversion parse(String text) {
        return Words.parse(values(), text, "Unknown colour conversion '" + text + "': use none or auto.");
    }

    /**
     * Converts an image between grey and RGB: RGB to grey is the mean of the three channels, grey to
     * RGB copies the grey value into each. Size, bit depth, name and calibration are kept.
     *
     * @param img      a grey or RGB image
     * @param channels 1 or 3
     * @return the image itself when it already has that many channels, else a converted copy
     * @throws IllegalArgumentException if either channel count is not 1 or 3
     */
    public static FloatImage convert(FloatImage img, int channels) {
        if (img.channels() == channels) {
            return img;
        }
        if ((channels != 1 && channels != 3) || (img.channels() != 1 && img.channels() != 3)) {
            throw new IllegalArgumentException("Only grey and RGB convert into each other, not " + img.channels()
                    + " into " + channels + " channels");
        }
        int plane = img.planeSize();
        float[] out = new float[plane * channels];
        float[] src = img.data();
        if (channels == 1) {
            for (int i = 0; i < plane; i++) {
                out[i] = (src[i] + src[plane + i] + src[2 * plane + i]) / 3f;
            }
        } else {
            for (int k = 0; k < 3; k++) {
                System.arraycopy(src, 0, out, k * plane, plane);
            }
        }
        return new FloatImage(img.width(), img.height(), channels, out, img.bitDepth(), img.name(), img.calibration());
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
