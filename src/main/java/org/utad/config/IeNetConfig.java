package org.utad.config;

import java.util.Locale;

/**
 * Width and border handling of the IE-Net (impression extractor).
 *
 * @param filters the reference's {@code n_filters}: the Inception blocks use
 *                f = [filters / 4, filters / 2, filters] channels per branch (128 in the paper)
 * @param padding how the Inception blocks' 3x3 and 5x5 convolutions see beyond the image border:
 *                {@link #ZERO} (the reference: a dark frame around every feature map) or
 *                {@link #EDGE} (the border pixels repeated, so no artificial frame reaches the
 *                impression's borders); model files written before this setting read as zero
 */
public record IeNetConfig(int filters, String padding) {
    /** Zero padding, as in the reference implementation. */
    public static final String ZERO = "zero";
    /** Border pixels repeated outward (replicate padding). */
    public static final String EDGE = "edge";

    /** @throws IllegalArgumentException if the width is not a positive multiple of 4 or the padding unknown */
    public IeNetConfig {
        if (filters < 4 || filters % 4 != 0) {
            throw new IllegalArgumentException("IE-Net filters must be a positive multiple of 4, got " + filters);
        }
        padding = padding == null ? ZERO : padding.trim().toLowerCase(Locale.ROOT);
        if (!padding.equals(ZERO) && !padding.equals(EDGE)) {
            throw new IllegalArgumentException("ie_net.padding is 'zero' or 'edge', got '" + padding + "'");
        }
    }

    /**
     * Zero padding, the reference's choice.
     *
     * @param filters the width, as for the canonical constructor
     */
    public IeNetConfig(int filters) {
        this(filters, ZERO);
    }

    /** @return true if the Inception blocks repeat the border pixels instead of padding with zeros */
    public boolean edgePadding() {
        return padding.equals(EDGE);
    }
}
