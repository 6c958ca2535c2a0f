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

    /** @return a builder with no setting made yet: {@link Builder#build()} wants every one named */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's settings, to change some of them by name */
    public Builder toBuilder() {
        return builder().filters(filters);
    }

    /**
     * Builds an {@link IeNetConfig} from its named setting, like the other sections' builders, so that a
     * preset reads {@code .filters(32)}.
     */
    public static final class Builder {
        private Integer filters;

        private Builder() {
        }

        /** Sets the reference's n_filters, the widest branch of the Inception blocks; returns this builder. */
        public Builder filters(int value) {
            filters = value;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalStateException naming a setting that was not made
         * @throws IllegalArgumentException if a value is out of range
         */
        public IeNetConfig build() {
            return new IeNetConfig(Required.value(filters, "ie_net.filters"));
        }
    }
}
