package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.utad.engine.OwnedArrays;

/**
 * MUNIT's layer normalisation for the up-sampling part of its decoder: each sample is normalised
 * by the mean and the standard deviation of all its C x H x W values, then scaled and shifted per
 * channel.
 *
 * <p>This is not DJL's (or PyTorch's) LayerNorm: MUNIT divides by {@code std + eps} with the
 * unbiased standard deviation (eps 1e-5), and initialises the per-channel scale {@code gamma}
 * uniformly in [0, 1) and the shift {@code beta} at 0. We follow MUNIT so that the decoder behaves
 * like the reference. Instance norm here would undo the per-image statistics the AdaIN layers set;
 * that is MUNIT's reason for a layer norm in the up-sampling path.
 */
public final class LayerNorm2d extends InitialisedBlock {
    /** Added to the standard deviation before dividing, as in MUNIT. */
    public static final float EPSILON = 1e-5f;

    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;

    /**
     * Creates the block.
     *
     * @param channels the number of input channels C (the length of gamma and beta)
     * @throws IllegalArgumentException if channels is below 1
     */
    public LayerNorm2d(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("LayerNorm2d needs at least one channel, got " + channels);
        }
        this.channels = channels;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels))
                .optInitializer((manager, shape, type) -> manager.randomUniform(0f, 1f, shape, type)).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(channels)).build());
    }

    /** @return the number of channels this block normalises */
    public int getChannels() {
        return channels;
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        checkChannels(inputShapes[0]);
    }

    private void checkChannels(Shape s) {
        if (s.dimension() != 4 || s.get(1) != channels) {
            throw new IllegalArgumentException("LayerNorm2d(" + channels + ") expects NCHW input with "
                    + channels + " channels, got " + s);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long n = s.get(0);
        long count = s.size() / n;
        NDArray flat = x.reshape(n, -1);
        NDArray mean = flat.mean(new int[] {1}, true);
        NDArray centred = flat.sub(mean);
        // The divisor through OwnedArrays: the backward pass reads it again (DJL's div(Number) would let
        // a garbage collection free it first).
        NDArray std = OwnedArrays.dividedBy(centred.square().sum(new int[] {1}, true), Math.max(1, count - 1)).sqrt();
        NDArray normalised = centred.div(std.add(EPSILON)).reshape(s);
        // A reshaped parameter is a new array owned by the parameter's manager; moving it into the
        // input's scope frees it with the batch instead of leaking one per forward pass.
        NDArray g = parameterStore.getValue(gamma, x.getDevice(), training).reshape(1, channels, 1, 1);
        NDArray b = parameterStore.getValue(beta, x.getDevice(), training).reshape(1, channels, 1, 1);
        g.attach(x.getManager());
        b.attach(x.getManager());
        return new NDList(normalised.mul(g).add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "LayerNorm2d(" + channels + ")";
    }
}
