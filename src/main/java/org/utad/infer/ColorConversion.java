package org.utad.infer;

import java.util.Locale;

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
        for (ColorConversion c : values()) {
            if (c.name().equalsIgnoreCase(text.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("Unknown colour conversion '" + text + "': use none or auto.");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
