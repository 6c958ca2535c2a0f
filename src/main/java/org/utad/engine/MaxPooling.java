package org.utad.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Square max pooling of NCHW arrays (floor mode), computed on the CPU without gradients as element-wise
 * maxima of shifted or strided views of the input.
 *
 * <p>Why: libtorch 2.7.1 ran detection's CPU max poolings of NCHW arrays through its
 * pooling-with-indices kernel, though no gradient needs the indices (PyTorch's profiler shows {@code
 * max_pool2d_with_indices} under each, and {@code perf} its NCHW kernel at 6 % of the samples). On
 * this project's machine a 3 x 3 pooling of stride 1 over (8, 32, 64, 64) took 16.3 ms that way and
 * 0.96 ms as maxima of shifted views; the IE-Net's poolings of stride 2 and 4 took 2.8 to 4.8 times as long
 * as maxima of strided views (docs/BENCHMARKS.md, issue 17, eleventh pass). A maximum is exact, so both
 * forms give the same values bit for bit. While gradients are recorded the engine's pooling stays: its
 * backward pass gives each window's gradient to one position, where maxima would split it between
 * equal values, and the views' backward passes would each fill an array of the input's size. On a GPU
 * the engine's pooling stays too.
 */
public final class MaxPooling {
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
        if (JniUtils.isGradMode() || !Device.Type.CPU.equals(x.getDevice().getDeviceType())
                || (stride != 1 && (stride != kernel || pad != 0)) || kernel < 2
                || x.getShape().dimension() != 4 || x.getShape().get(2) + 2L * pad < kernel
                || x.getShape().get(3) + 2L * pad < kernel) {
            return Pool.maxPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride), new Shape(pad, pad), false);
        }
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
