package org.utad.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A convolution to one output channel, computed as a convolution to {@link #PHASES}&sup2; = 16
 * channels with stride 4: output channel {@code a * 4 + b} holds the output pixels at rows
 * {@code 4i + a} and columns {@code 4j + b}, and its (k + 3) x (k + 3) kernel is the real k x k kernel
 * shifted down by a rows and right by b columns, zeros elsewhere. The same sums in another order.
 *
 * <p>Why: a training pass must not hand oneDNN a convolution whose output channels are not a whole
 * block of 16 ({@link AlignedConvolution}: its backward pass reads uninitialised lanes, NaN on Zen 5).
 * Padding one output channel to 16 computes sixteen times the work; here every one of the 16 output
 * channels is real, and the strided kernel does (k + 3)&sup2; / 16 multiply-adds per output pixel and
 * input channel against the padded form's 16 k&sup2;: 100 against 784 for the Expert-Net decoder's 7x7
 * convolution to the image. The 16-channel kernel is gathered from the real one with an index table
 * (the appended zero where a shifted window leaves the kernel), so gradients reach the real weights
 * through the gather. Measured: forward and backward of that layer (4 x 16 x 70 x 70 in) 3.1-3.7 ms
 * against 6.4-8.0 ms padded; a stage 2 step 4-7 % faster (docs/BENCHMARKS.md, issue 17's fifth pass).
 */
final class PhaseConvolution {
    /** Output phases per axis: 4 x 4 phases fill one 16-channel block. */
    static final int PHASES = 4;

    /** Gather tables by (input channels, kernel height, kernel width). */
    private static final Map<String, long[]> TABLES = new ConcurrentHashMap<>();

    private PhaseConvolution() {
    }

    /**
     * Whether a convolution can take this form: one output channel, no groups, stride and dilation 1,
     * a kernel of at least 3 (for 1x1 the strided kernel does as much work as the padded form) and an
     * output whose height and width are multiples of {@link #PHASES}.
     *
     * @param input    NCHW input shape
     * @param weight   weight shape (filters, channels, kh, kw)
     * @param stride   stride
     * @param padding  zero padding
     * @param dilation dilation
     * @param groups   groups
     * @return true if {@link #conv2d} computes this convolution
     */
    static boolean applies(Shape input, Shape weight, Shape stride, Shape padding, Shape dilation, int groups) {
        if (weight.get(0) != 1 || groups != 1 || input.dimension() != 4 || weight.get(2) < 3 || weight.get(3) < 3) {
            return false;
        }
        for (int d = 0; d < 2; d++) {
            if (stride.get(d) != 1 || dilation.get(d) != 1) {
                return false;
            }
            long out = input.get(2 + d) + 2 * padding.get(d) - weight.get(2 + d) + 1;
            if (out <= 0 || out % PHASES != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Computes the convolution (stride 1, dilation 1, no groups) of {@code x} with a one-channel
     * kernel; callers check {@link #applies} first. The input gets the convolution's zero padding plus
     * three zero rows and columns at the far end, which only the shifted windows' zero taps meet.
     *
     * @param x       NCHW input
     * @param weight  weights (1, C, kh, kw)
     * @param bias    bias of length 1, or null
     * @param padding zero padding
     * @return the NCHW output with one channel
     */
    static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, Shape padding) {
        Shape xs = x.getShape();
        Shape ws = weight.getShape();
        long n = xs.get(0);
        int channels = (int) ws.get(1);
        int kh = (int) ws.get(2);
        int kw = (int) ws.get(3);
        long outH = xs.get(2) + 2 * padding.get(0) - kh + 1;
        long outW = xs.get(3) + 2 * padding.get(1) - kw + 1;
        int spanH = kh + PHASES - 1;
        int spanW = kw + PHASES - 1;
        NDManager m = x.getManager();
        try (NDArray padded = x.pad(new Shape(padding.get(1), padding.get(1) + PHASES - 1, padding.get(0),
                     padding.get(0) + PHASES - 1), 0);
             NDArray flat = weight.reshape(-1);
             NDArray zero = m.zeros(new Shape(1));
             NDArray withZero = flat.concat(zero, 0);
             // The backward pass reads the table again, so the gather keeps an engine-owned copy.
             NDArray index = OwnedArrays.of(m, table(channels, kh, kw),
                     new Shape(PHASES * PHASES, channels, spanH, spanW));
             NDArray kernel = withZero.take(index);
             NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(padded, kernel, null, new Shape(PHASES, PHASES),
                     new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
             NDArray grid = y.reshape(n, PHASES, PHASES, outH / PHASES, outW / PHASES);
             NDArray back = grid.transpose(0, 3, 1, 4, 2)) {
            return AlignedConvolution.withBias(back.reshape(n, 1, outH, outW), bias);
        }
    }

    /**
     * The gather table: for every tap of the 16-channel kernel, the index of the real weight it takes
     * in the flattened (C, kh, kw) kernel, or C * kh * kw (the appended zero) where the shifted window
     * leaves the kernel. Tap [(a, b), c, u, v] takes weight [c, u - a, v - b].
     */
    private static long[] table(int channels, int kh, int kw) {
        return TABLES.computeIfAbsent(channels + "x" + kh + "x" + kw, key -> {
            int spanH = kh + PHASES - 1;
            int spanW = kw + PHASES - 1;
            long zero = (long) channels * kh * kw;
            long[] t = new long[PHASES * PHASES * channels * spanH * spanW];
            int i = 0;
            for (int a = 0; a < PHASES; a++) {
                for (int b = 0; b < PHASES; b++) {
                    for (int c = 0; c < channels; c++) {
                        for (int u = 0; u < spanH; u++) {
                            for (int v = 0; v < spanW; v++) {
                                int row = u - a;
                                int col = v - b;
                                boolean inside = row >= 0 && row < kh && col >= 0 && col < kw;
                                t[i++] = inside ? ((long) c * kh + row) * kw + col : zero;
                            }
                        }
                    }
                }
            }
            return t;
        });
    }
}
