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

    /** @return a builder with no setting made yet: {@link Builder#build()} wants every one named */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's settings, to change some of them by name */
    public Builder toBuilder() {
        return builder().dim(dim).layers(layers).scales(scales);
    }

    /**
     * Builds a {@link DiscriminatorConfig} from named settings, so that a preset or a test reads as
     * {@code .dim(16).layers(3).scales(2)} instead of three bare numbers. Each setter's meaning is that of
     * the record component of the same name.
     */
    public static final class Builder {
        private Integer dim;
        private Integer layers;
        private Integer scales;

        private Builder() {
        }

        /** Sets the channels of the first convolution; returns this builder. */
        public Builder dim(int value) {
            dim = value;
            return this;
        }

        /** Sets the stride-2 convolutions per scale; returns this builder. */
        public Builder layers(int value) {
            layers = value;
            return this;
        }

        /** Sets the number of scales; returns this builder. */
        public Builder scales(int value) {
            scales = value;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalStateException naming a setting that was not made
         * @throws IllegalArgumentException if a value is out of range
         */
        public DiscriminatorConfig build() {
            return new DiscriminatorConfig(Required.value(dim, "discriminator.dim"),
                    Required.value(layers, "discriminator.layers"),
                    Required.value(scales, "discriminator.scales"));
        }
    }
}
