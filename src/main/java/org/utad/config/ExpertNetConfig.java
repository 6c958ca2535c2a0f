package org.utad.config;

/**
 * Size of the Expert-Net generators (MUNIT-style), one per domain (images and impressions).
 *
 * @param dim         channels after the first 7x7 convolution; doubled by each down-sampling (64 in the reference)
 * @param nDownsample stride-2 convolutions in the content encoder (2 in the reference)
 * @param nRes        residual blocks in the content encoder and in the decoder (2 in the reference)
 * @param detailDim   length of the global detail (style) code (8 in the reference)
 * @param mlpDim      hidden width of the MLP that maps the detail code to AdaIN parameters (256)
 * @param mlpLayers   layers of that MLP (3)
 */
public record ExpertNetConfig(int dim, int nDownsample, int nRes, int detailDim, int mlpDim, int mlpLayers) {
    /** @throws IllegalArgumentException if any value is out of range */
    public ExpertNetConfig {
        if (dim < 1 || nDownsample < 0 || nRes < 0 || detailDim < 1 || mlpDim < 1 || mlpLayers < 2) {
            throw new IllegalArgumentException("Invalid Expert-Net size: dim " + dim + ", n_downsample "
                    + nDownsample + ", n_res " + nRes + ", detail_dim " + detailDim + ", mlp " + mlpDim
                    + "x" + mlpLayers);
        }
    }

    /** @return a builder with no setting made yet: {@link Builder#build()} wants every one named */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's settings, to change some of them by name */
    public Builder toBuilder() {
        return builder().dim(dim).nDownsample(nDownsample).nRes(nRes).detailDim(detailDim).mlpDim(mlpDim)
                .mlpLayers(mlpLayers);
    }

    /**
     * Builds an {@link ExpertNetConfig} from named settings, so that a preset or a test reads as
     * {@code .dim(16).mlpDim(64)} instead of a row of bare numbers. Each setter's meaning is that of the
     * record component of the same name.
     */
    public static final class Builder {
        private Integer dim;
        private Integer nDownsample;
        private Integer nRes;
        private Integer detailDim;
        private Integer mlpDim;
        private Integer mlpLayers;

        private Builder() {
        }

        /** Sets the channels after the first convolution; returns this builder. */
        public Builder dim(int value) {
            dim = value;
            return this;
        }

        /** Sets the stride-2 convolutions of the content encoder; returns this builder. */
        public Builder nDownsample(int value) {
            nDownsample = value;
            return this;
        }

        /** Sets the residual blocks of the content encoder and the decoder; returns this builder. */
        public Builder nRes(int value) {
            nRes = value;
            return this;
        }

        /** Sets the length of the detail code; returns this builder. */
        public Builder detailDim(int value) {
            detailDim = value;
            return this;
        }

        /** Sets the hidden width of the detail code's MLP; returns this builder. */
        public Builder mlpDim(int value) {
            mlpDim = value;
            return this;
        }

        /** Sets the layers of that MLP; returns this builder. */
        public Builder mlpLayers(int value) {
            mlpLayers = value;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalStateException naming a setting that was not made
         * @throws IllegalArgumentException if a value is out of range
         */
        public ExpertNetConfig build() {
            return new ExpertNetConfig(Required.value(dim, "expert_net.dim"),
                    Required.value(nDownsample, "expert_net.n_downsample"),
                    Required.value(nRes, "expert_net.n_res"),
                    Required.value(detailDim, "expert_net.detail_dim"),
                    Required.value(mlpDim, "expert_net.mlp_dim"),
                    Required.value(mlpLayers, "expert_net.mlp_layers"));
        }
    }
}
