package org.utad.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Square max pooling of NCHW arrays (floor mode): on the CPU, as element-wise maxima of shifted or
 * strided views of the input when no gradient is recorded, and while training through the helper
 * module's gathered pooling ({@link ScriptedOps#gatheredMaxPool}).
 *
 * <p>Why: libtorch 2.7.1 ran detection's CPU max poolings of NCHW arrays through its
 * pooling-with-indices kernel, though no gradient needs the indices (PyTorch's profiler shows {@code
 * max_pool2d_with_indices} under each, and {@code perf} its NCHW kernel at 6 % of the samples). On
 * this project's machine a 3 x 3 pooling of stride 1 over (8, 32, 64, 64) took 16.3 ms that way and
 * 0.96 ms as maxima of shifted views; the IE-Net's poolings of stride 2 and 4 took 2.8 to 4.8 times as long
 * as maxima of strided views (docs/BENCHMARKS.md, issue 17, eleventh pass). A maximum is exact, so both
 * forms give the same values bit for bit. An input that needs no gradient (a training batch's image) is
 * pooled that way even while the pass records gradients: nothing is recorded for it (the helper module
 * tells, {@link ScriptedOps#requiresGradient}).
 *
 * <p>While gradients are recorded, maxima of views would not do: the engine's backward pass gives each
 * window's gradient to one position, where maxima would split it between equal values, and the views'
 * backward passes would each fill an array of the input's size (a stage 1 step took 1.5 times as long).
 * The engine's NCHW pooling compares one value at a time, though, and took a fifth of a stage 1 step;
 * the gathered pooling gives the same values and the same gradients, bit for bit, from libtorch's
 * channels-last kernel, which compares a vector of channels at a time. It pays for one copy of the input,
 * so it is used from {@link #GATHER_CHANNELS} channels on: a grey image's single plane pooled 1.17 times
 * as slowly that way (docs/BENCHMARKS.md, issue 17's fourteenth pass). An array that is already
 * channels-last (the IE-Net's maps while it trains on the CPU, {@link ChannelsLast}) takes the engine's
 * pooling, which is then that vectorised kernel itself, without the copy. On a GPU the engine's pooling
 * stays.
 */
public final class MaxPooling {
    /** The fewest channels the gathered pooling is used for: one AVX-512 vector of float32 values. */
    static final int GATHER_CHANNELS = 16;

    /** The ways {@link #maxPool2d} can pool an array. */
    enum Form {
        /** libtorch's own pooling. */
        ENGINE,
        /** Element-wise maxima of views; nothing recorded for gradients. */
        VIEWS,
        /** Positions from the channels-last kernel, values gathered, recorded for gradients. */
        GATHERED
    }

    private MaxPooling() {
    }

    /**
     * Max pooling with a square window, as {@code Pool.maxPool2d(x, (kernel, kernel), (stride, stride),
     * (pad, pad), false)}: padding never wins a window, and windows that would pass the far border are
     * left out.
     *
     * @param x      an NCHW array
     * @param kernel window side, at least 1
     * @param stride step between windows, at least 1
     * @param pad    padding on every side, at most half the window as the engine requires
     * @return the pooled array, owned by {@code x}'s manager
     * @throws ai.djl.engine.EngineException from the engine's own pooling, for arguments it refuses
     *         (a window larger than the padded input, padding above half the window)
     */
    public static NDArray maxPool2d(NDArray x, int kernel, int stride, int pad) {
        switch (form(x, kernel, stride, pad)) {
            case VIEWS:
                return maxOfViews(x, kernel, stride, pad);
            case GATHERED:
                return ScriptedOps.gatheredMaxPool(x, kernel, stride, pad);
            default:
                return Pool.maxPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride), new Shape(pad, pad),
                        false);
        }
    }

    /**
     * How {@link #maxPool2d} pools {@code x}: the engine's pooling on a GPU and for arguments the faster
     * forms do not cover (or that the engine refuses, so that it says why); while gradients are
     * recorded, the gathered pooling for {@link #GATHER_CHANNELS} channels or more of an NCHW array and the
     * engine's for a channels-last one; maxima of views when
     * no gradient is recorded for {@code x}, and the engine's pooling otherwise.
     */
    static Form form(NDArray x, int kernel, int stride, int pad) {
        Shape s = x.getShape();
        if (!Device.Type.CPU.equals(x.getDevice().getDeviceType()) || kernel < 2 || s.dimension() != 4
                || s.get(2) + 2L * pad < kernel || s.get(3) + 2L * pad < kernel || 2 * pad > kernel) {
            return Form.ENGINE;
        }
        boolean recording = JniUtils.isGradMode();
        if (recording && s.get(1) >= GATHER_CHANNELS && ScriptedOps.gathersMaxPool(x, kernel, stride, pad)) {
            // On a channels-last array the engine's own pooling is already the vectorised kernel.
            return ChannelsLast.holds(x) ? Form.ENGINE : Form.GATHERED;
        }
        boolean views = stride == 1 || (stride == kernel && pad == 0);
        return views && (!recording || !ScriptedOps.requiresGradient(x)) ? Form.VIEWS : Form.ENGINE;
    }

    /** The pooling as element-wise maxima of shifted (stride 1) or strided (stride = window) views. */
    private static NDArray maxOfViews(NDArray x, int kernel, int stride, int pad) {
        NDArray padded = pad == 0 ? x : x.pad(new Shape(pad, pad, pad, pad), Float.NEGATIVE_INFINITY);
        try (NDArray rows = maxAlong(padded, 2, kernel, stride)) {
            if (padded != x) {
                padded.close();
            }
            return maxAlong(rows, 3, kernel, stride);
        }
    }

    /**
     * The maximum of each window along one axis: the element-wise maximum of the {@code kernel} views
     * that start at offsets 0 to kernel - 1 and step by {@code stride}, each as long as the output.
     */
    private static NDArray maxAlong(NDArray x, int axis, int kernel, int stride) {
        long length = x.getShape().get(axis);
        long out = (length - kernel) / stride + 1;
        NDArray max = window(x, axis, 0, out, stride);
        for (int offset = 1; offset < kernel; offset++) {
            try (NDArray view = window(x, axis, offset, out, stride); NDArray before = max) {
                max = before.maximum(view);
            }
        }
        return max;
    }

    /** The view of {@code count} positions along {@code axis}, from {@code offset} in steps of {@code stride}. */
    private static NDArray window(NDArray x, int axis, long offset, long count, int stride) {
        return x.get(new NDIndex().addAllDim(axis).addSliceDim(offset, offset + (count - 1) * stride + 1, stride));
    }
}
