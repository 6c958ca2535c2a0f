package org.utad.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Convolutions whose output channels reach oneDNN in whole SIMD blocks, so that PyTorch's CPU
 * backward pass gives finite gradients on every x86-64 processor.
 *
 * <p>Why: PyTorch 2.7.1's oneDNN 3.7.1 lays a convolution's tensors out in blocks of 16 channels
 * (8 with AVX2). When the output channels are not a whole number of blocks, the backward-data
 * kernel ({@code jit:avx512_core} / {@code jit:avx2}, {@code backward_data}, weights in
 * {@code ABcd16a16b}) multiplies the padding lanes of the weights, which nothing initialises, into
 * the input gradient; on AMD Zen 5 those lanes often hold NaN bit patterns, so NaN spreads through
 * the whole network (docs/NUMERICS.md has the reproduction; {@link NumericsCheck} detects it). Padding the weights ourselves with real
 * zeros to a multiple of {@link #BLOCK} output channels leaves the kernel no padding lanes to read;
 * the extra output channels are sliced off again, except that a convolution to one output channel with
 * a kernel of 3 or more computes its 16 output phases as 16 real channels instead ({@link
 * PhaseConvolution}). On a GPU, and when no gradients are recorded, the
 * convolution runs as DJL's, except that on the CPU a convolution to one output channel (the layer
 * that writes an image) runs as a depthwise convolution and a channel sum, which spares oneDNN the
 * fifteen padding channels it would compute.
 */
public final class AlignedConvolution {
    /** The widest channel block of oneDNN's f32 convolutions (AVX-512); a multiple of AVX2's 8. */
    private static final int BLOCK = 16;

    private AlignedConvolution() {
    }

    /**
     * Output channels to add so that {@code filters} becomes a whole number of {@link #BLOCK}s.
     *
     * @param filters output channels of the convolution
     * @return zero to {@code BLOCK - 1}
     */
    private static int missingChannels(int filters) {
        return (BLOCK - filters % BLOCK) % BLOCK;
    }

    /**
     * Whether {@link #conv2d(NDArray, NDArray, NDArray, Shape, Shape, Shape, int)} would pad an
     * ungrouped convolution of {@code x} to {@code filters} output channels with zero channels: on
     * the CPU, while gradients are recorded, when {@code filters} is not a whole number of blocks.
     * Callers that own several such convolutions of the same input can merge them into one whose
     * channels need less padding, or none ({@code model/InceptionBlock}).
     *
     * @param x       the NCHW input
     * @param filters output channels
     * @return true when the convolution would compute padding channels
     */
    public static boolean padsOutput(NDArray x, int filters) {
        return missingChannels(filters) != 0 && aligns(x);
    }

    /** Whether convolutions of {@code x} take the aligned forms: on the CPU, while gradients are recorded. */
    private static boolean aligns(NDArray x) {
        return JniUtils.isGradMode() && Device.Type.CPU.equals(x.getDevice().getDeviceType());
    }

    /**
     * Runs a convolution with the weights (and bias) padded by zero output channels to whole blocks on
     * the CPU, and returns only the real output channels. Only passes that record gradients are padded
     * (the faulty kernel runs in the backward pass), so detection and validation run the plain
     * convolution at full speed, or for one output channel its depthwise form.
     *
     * @param x        NCHW input
     * @param weight   weights, (filters, in / groups, kh, kw)
     * @param bias     bias of length filters, or null
     * @param stride   stride
     * @param padding  zero padding
     * @param dilation dilation
     * @param groups   groups (padding applies to ungrouped convolutions only)
     * @return the NCHW output with {@code filters} channels
     */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, Shape dilation,
            int groups) {
        return conv2d(x, weight, bias, stride, padding, dilation, groups, aligns(x));
    }

    /**
     * The same convolution with the choice made by the caller: the numerics self-check runs both
     * forms on the same problem.
     *
     * @param x        NCHW input
     * @param weight   weights, (filters, in / groups, kh, kw)
     * @param bias     bias of length filters, or null
     * @param stride   stride
     * @param padding  zero padding
     * @param dilation dilation
     * @param groups   groups (padding applies to ungrouped convolutions only)
     * @param align    whether to pad the output channels to whole blocks
     * @return the NCHW output with {@code filters} channels
     */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding,
            Shape dilation, int groups, boolean align) {
        int filters = (int) weight.getShape().get(0);
        if (!align && filters == 1 && groups == 1 && weight.getShape().get(1) > 1
                && Device.Type.CPU.equals(x.getDevice().getDeviceType()) && !JniUtils.isGradMode()) {
            return oneOutputChannel(x, weight, bias, stride, padding, dilation);
        }
        if (align && PhaseConvolution.applies(x.getShape(), weight.getShape(), stride, padding, dilation, groups)) {
            return PhaseConvolution.conv2d(x, weight, bias, padding);
        }
        int extra = missingChannels(filters);
        if (extra == 0 || groups != 1 || !align) {
            return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, stride, padding, dilation, groups)
                    .singletonOrThrow();
        }
        Shape ws = weight.getShape();
        // Autograd keeps what the backward pass needs, so every handle but the result is closed here.
        try (NDArray zeros = x.getManager().zeros(new Shape(extra, ws.get(1), ws.get(2), ws.get(3)));
             NDArray w = weight.concat(zeros, 0);
             NDArray zeroBias = bias == null ? null : x.getManager().zeros(new Shape(extra));
             NDArray b = bias == null ? null : bias.concat(zeroBias, 0);
             NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, stride, padding, dilation, groups)
                     .singletonOrThrow()) {
            // A built index: DJL parses an index string with regular expressions on every call.
            return y.get(new NDIndex().addAllDim().addSliceDim(0, filters));
        }
    }

    /**
     * A convolution to one output channel, computed as a depthwise convolution (each input channel
     * with its own plane of the kernel) and a sum over the channels: the same sums in another order.
     * oneDNN lays the single output channel out as a whole block of 16 and computes all 16, so the
     * plain form does sixteen times the work; on the decoder's 7x7 convolution to the image (16
     * channels in, 8 tiles of 64 px) it took 2.6-3.2 ms against 0.65-0.93 ms for this form. Only
     * used without gradients: in training the depthwise form's backward pass was no faster than the
     * block-aligned one.
     */
    private static NDArray oneOutputChannel(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding,
            Shape dilation) {
        Shape ws = weight.getShape();
        int channels = (int) ws.get(1);
        try (NDArray planes = weight.reshape(channels, 1, ws.get(2), ws.get(3));
             NDArray each = ai.djl.nn.convolutional.Conv2d.conv2d(x, planes, null, stride, padding, dilation, channels)
                     .singletonOrThrow()) {
            return withBias(each.sum(new int[] {1}, true), bias);
        }
    }

    /**
     * Adds a one-channel convolution's bias to its output, for the forms that compute the output
     * without it; the output without bias is closed (autograd keeps what it needs).
     *
     * @param y    the (N, 1, H, W) output without bias
     * @param bias bias of length 1, or null
     * @return y itself when there is no bias, else y + bias
     */
    static NDArray withBias(NDArray y, NDArray bias) {
        if (bias == null) {
            return y;
        }
        try (NDArray plain = y; NDArray b = bias.reshape(1, 1, 1, 1)) {
            return plain.add(b);
        }
    }
}
