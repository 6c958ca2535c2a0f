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
}
