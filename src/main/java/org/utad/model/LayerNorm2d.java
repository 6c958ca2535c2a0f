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
 * <p>This is not DJL's (or PyTorch's) LayerNorm as configured by default: MUNIT normalises by the
 * unbiased standard deviation with eps 1e-5, and initialises the per-channel scale {@code gamma}
 * uniformly in [0, 1) and the shift {@code beta} at 0. We follow MUNIT so that the decoder behaves
 * like the reference, with one difference: MUNIT divides by {@code std + eps}, this block by
 * {@code sqrt(std^2 + eps^2)}, which lets the engine's one-operation layer norm do the work (about
 * 4 % of a stage 2 training step, docs/BENCHMARKS.md). The two differ by a relative {@code eps / std}
 * at most: 1e-5 for a sample of standard deviation 1, and both give 0 for a constant sample.
 * Instance norm here would undo the per-image statistics the AdaIN layers set; that is MUNIT's reason
 * for a layer norm in the up-sampling path.
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
        long count = s.size() / s.get(0);
        Shape sample = new Shape(channels, s.get(2), s.get(3));
        // The engine's layer norm divides by sqrt(biased variance + its eps) in one operation with its
        // own backward pass. With its eps at eps^2 (n - 1) / n and the scale multiplied by
        // sqrt((n - 1) / n), that is (x - mean) / sqrt(std^2 + eps^2) * gamma + beta with MUNIT's
        // unbiased std: MUNIT's (x - mean) / (std + eps) to a relative eps / std, and the same 0 for a
        // constant sample. A sample of one value has no unbiased std; with n - 1 taken as at least 1
        // it gives beta, as the earlier form of this block did.
        double unbiased = (double) Math.max(1, count - 1) / count;
        // Reshaped parameters are new arrays owned by the parameter's manager; moving them into the
        // input's scope frees them with the batch instead of leaking two per forward pass.
        NDArray g = parameterStore.getValue(gamma, x.getDevice(), training).reshape(channels, 1, 1);
        NDArray b = parameterStore.getValue(beta, x.getDevice(), training).reshape(channels, 1, 1);
        g.attach(x.getManager());
        b.attach(x.getManager());
        // The factor through OwnedArrays: the backward pass reads it again (DJL's mul(Number) would let
        // a garbage collection free it first).
        NDArray scale = OwnedArrays.times(g.broadcast(sample), Math.sqrt(unbiased));
        float eps = (float) (EPSILON * (double) EPSILON * unbiased);
        return new NDList(x.getNDArrayInternal().layerNorm(x, sample, scale, b.broadcast(sample), eps)
                .singletonOrThrow());
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
