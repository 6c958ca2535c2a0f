package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.utad.engine.ChannelsLast;

/**
 * Nearest-neighbour up-sampling of an NCHW tensor by an integer factor on both spatial axes.
 *
 * <p>DJL has no such block, and the PyTorch engine does not implement transposed convolutions, so
 * UTAD's decoders up-sample with this and then convolve. The engine's one-axis nearest interpolation
 * widens the rows, and a broadcast repeats each widened row (docs/BENCHMARKS.md, "Speed against
 * PyTorch and the machine"). In training, the interpolation's backward pass is one operation, and the
 * broadcast's sums whole rows, where a broadcast over both axes sums single pixels, a slow reduction.
 * The engine's two-axis interpolation, used before, converts small maps (output height plus width at
 * most 128, every map of a 64 px patch) to channels-last and back in libtorch 2.x; this form spares
 * those copies, a stage 1 step 5 % and a stage 2 step 3-4 % faster. Detection runs the same form: a
 * broadcast over both axes, which copies pixel pairs, took 1.8-3.0 times as long at the decoder's sizes
 * and made the detection step 7 % slower (issue 17, eleventh pass).
 */
public final class NearestUpsample extends InitialisedBlock {
    /** DJL's interpolation mode number for nearest neighbour (its image interpolation's first mode). */
    private static final int NEAREST = 0;

    private final int factor;

    /**
     * Creates the block.
     *
     * @param factor the integer scale factor for height and width, at least 1
     * @throws IllegalArgumentException if the factor is below 1
     */
    public NearestUpsample(int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("Up-sampling factor must be at least 1, got " + factor);
        }
        this.factor = factor;
    }

    /** @return the scale factor, so that callers can reason about output sizes */
    public int getFactor() {
        return factor;
    }

    /**
     * Up-samples one tensor. A channels-last tensor (the IE-Net's maps while it trains on the CPU,
     * {@link ChannelsLast}) stays channels-last while gradients are recorded.
     *
     * @param x      an NCHW-shaped tensor
     * @param factor the integer scale factor
     * @return the tensor of shape (N, C, H * factor, W * factor)
     */
    public static NDArray upsample(NDArray x, int factor) {
        if (factor == 1) {
            return x;
        }
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        if (JniUtils.isGradMode() && ChannelsLast.holds(x)) {
            // The IE-Net's channels-last maps while training: libtorch's two-axis kernel keeps the layout
            // (the rows' reshape below would copy them back to NCHW).
            return x.getNDArrayInternal().interpolation(new long[] {h * factor, w * factor}, NEAREST, false);
        }
        try (NDArray rows = x.reshape(n, c * h, w);
             NDArray wide = rows.getNDArrayInternal().interpolation(new long[] {w * factor}, NEAREST, false);
             NDArray split = wide.reshape(n, c, h, 1, w * factor);
             NDArray tall = split.broadcast(n, c, h, factor, w * factor)) {
            return tall.reshape(n, c, h * factor, w * factor);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(upsample(inputs.singletonOrThrow(), factor));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), s.get(2) * factor, s.get(3) * factor)};
    }

    @Override
    public String toString() {
        return "NearestUpsample(" + factor + ")";
    }
}
