package org.utad.config;

/**
 * Width of the IE-Net (impression extractor).
 *
 * @param filters the reference's {@code n_filters}: the Inception blocks use
 *                f = [filters / 4, filters / 2, filters] channels per branch (128 in the paper)
 */
public record IeNetConfig(int filters) {
    /** @throws IllegalArgumentException if the width is not a positive multiple of 4 */
    public IeNetConfig {
        if (filters < 4 || filters % 4 != 0) {
            throw new IllegalArgumentException("IE-Net filters must be a positive multiple of 4, got " + filters);
        }
    }
}
