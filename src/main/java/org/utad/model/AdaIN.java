package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Adaptive instance normalisation: instance-normalise the features, then scale and shift every
 * channel of every sample by values that come from outside the block.
 *
 * <p>This is how the Expert-Net decoder injects the global detail code: an MLP maps the code to
 * one (gamma, beta) pair per channel and AdaIN layer (MUNIT's AdaIN weight is the "std" part and its
 * bias the "mean" part of that MLP output). The block has no parameters of its own.
 *
 * <p>Forward input: {@code NDList(x, gamma, beta)} with x of shape (N, C, H, W) and gamma, beta of
 * shape (N, C). Output: {@code NDList(normalize(x) * gamma[:, :, None, None] + beta[:, :, None,
 * None])}, shape (N, C, H, W).
 */
public final class AdaIN extends InitialisedBlock {

    /** Creates the block; it has no parameters. */
    public AdaIN() {
        super();
    }

    /**
     * Applies adaptive instance normalisation.
     *
     * @param x     features, (N, C, H, W)
     * @param gamma per-sample per-channel scale, (N, C)
     * @param beta  per-sample per-channel shift, (N, C)
     * @return the normalised, rescaled features, (N, C, H, W)
     */
    public static NDArray apply(NDArray x, NDArray gamma, NDArray beta) {
        Shape s = x.getShape();
        Shape perChannel = new Shape(s.get(0), s.get(1), 1, 1);
        return InstanceNorm2d.normalize(x).mul(gamma.reshape(perChannel)).add(beta.reshape(perChannel));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != 3) {
            throw new IllegalArgumentException("AdaIN expects NDList(x, gamma, beta), got " + inputs.size()
                    + " arrays");
        }
        return new NDList(apply(inputs.get(0), inputs.get(1), inputs.get(2)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "AdaIN()";
    }
}
