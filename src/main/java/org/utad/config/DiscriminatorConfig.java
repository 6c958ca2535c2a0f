package org.utad.config;

/**
 * A multi-scale LSGAN discriminator, as in the reference (and MUNIT).
 *
 * @param dim    channels of the first 4x4 stride-2 convolution (32 in the reference)
 * @param layers number of stride-2 convolutions per scale (4 in the reference)
 * @param scales number of scales; the input is average-pooled by 2 between scales (3 in the reference)
 */
public record DiscriminatorConfig(int dim, int layers, int scales) {
    /** @throws IllegalArgumentException if any value is not positive */
    public DiscriminatorConfig {
        if (dim < 1 || layers < 1 || scales < 1) {
            throw new IllegalArgumentException("Discriminator dim, layers and scales must be positive");
        }
    }
}
