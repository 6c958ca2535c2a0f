package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The convolution every network layer runs: without gradients, a convolution to one output channel
 * takes the depthwise-and-sum form, which must give the convolution's values (checked against sums
 * in double precision, with stride, padding, dilation and bias). The gradient forms are checked
 * against such sums by {@link NumericsCheck} (NumericsCheckTest).
 */
class AlignedConvolutionTest {
    @BeforeAll
    static void start() {
        Engines.offline();
        Engines.engine();
    }

    @ParameterizedTest
    @CsvSource({"16, 7, 1, 0, 1, true", "3, 3, 2, 1, 1, false", "5, 5, 1, 2, 2, true", "16, 1, 1, 0, 1, true"})
    void oneOutputChannelWithoutGradientsIsTheConvolution(int channels, int kernel, int stride, int pad, int dilation,
            boolean bias) {
        int n = 2;
        int size = 13;
        float[] x = waves(n * channels * size * size, channels);
        float[] w = kernelWaves(channels, kernel);
        float b = bias ? 0.25f * channels : 0f;
        try (NDManager m = NDManager.newBaseManager()) {
            Engines.noGradientsOnThisThread();
            NDArray y = AlignedConvolution.conv2d(m.create(x, new Shape(n, channels, size, size)),
                    m.create(w, new Shape(1, channels, kernel, kernel)), bias ? m.create(new float[] {b}) : null,
                    new Shape(stride, stride), new Shape(pad, pad), new Shape(dilation, dilation), 1);
            int out = (size + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
            assertEquals(new Shape(n, 1, out, out), y.getShape());
            double[] want = reference(x, w, b, n, channels, size, kernel, stride, pad, dilation, out);
            float[] got = y.toFloatArray();
            for (int i = 0; i < got.length; i++) {
                assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])), "output " + i);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"16, 7, 0, 22, true", "8, 5, 2, 12, false", "3, 3, 1, 8, true", "4, 4, 0, 11, true", "5, 3, 1, 13, true"})
    void oneOutputChannelWithGradientsGivesTheConvolutionAndItsGradients(int channels, int kernel, int pad, int size,
            boolean bias) {
        int n = 2;
        float[] x = waves(n * channels * size * size, channels);
        float[] w = kernelWaves(channels, kernel);
        int out = size + 2 * pad - kernel + 1;
        float[] g = new float[n * out * out];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) Math.cos(0.53 * i + 1);
        }
        float b = bias ? 0.25f * channels : 0f;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray xa = m.create(x, new Shape(n, channels, size, size));
            NDArray wa = m.create(w, new Shape(1, channels, kernel, kernel));
            NDArray ba = bias ? m.create(new float[] {b}) : null;
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            if (bias) {
                ba.setRequiresGradient(true);
            }
            float[] y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray ya = AlignedConvolution.conv2d(xa, wa, ba, new Shape(1, 1), new Shape(pad, pad),
                        new Shape(1, 1), 1);
                assertEquals(new Shape(n, 1, out, out), ya.getShape());
                y = ya.toFloatArray();
                // Memory that the backward pass still needs must not be Java memory the collector can free.
                churn(m);
                collector.backward(ya.mul(m.create(g, ya.getShape())).sum());
            }
            double[] want = reference(x, w, b, n, channels, size, kernel, 1, pad, 1, out);
            assertClose(want, y, "output");
            double[][] grads = gradients(g, x, w, n, channels, size, kernel, pad, out);
            assertClose(grads[0], xa.getGradient().toFloatArray(), "input gradient");
            assertClose(grads[1], wa.getGradient().toFloatArray(), "weight gradient");
            if (bias) {
                double sum = 0;
                for (float v : g) {
                    sum += v;
                }
                assertClose(new double[] {sum}, ba.getGradient().toFloatArray(), "bias gradient");
            }
        }
    }

    @Test
    void padsOnlyPartialBlocksAndOnlyWhileGradientsAreRecorded() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(1, 2, 4, 4));
            assertFalse(AlignedConvolution.padsOutput(x, 8), "no gradients recorded: the plain convolution runs");
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                assertTrue(AlignedConvolution.padsOutput(x, 8));
                assertTrue(AlignedConvolution.padsOutput(x, 24));
                assertFalse(AlignedConvolution.padsOutput(x, 16));
                assertFalse(AlignedConvolution.padsOutput(x, 32));
            }
        }
    }

    /** Collects garbage and reuses freed memory, so a backward pass that reads freed memory reads garbage. */
    private static void churn(NDManager m) {
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (int i = 0; i < 50; i++) {
                long[] junk = new long[2048];
                java.util.Arrays.fill(junk, Long.MIN_VALUE + i);
                try (NDArray a = m.create(junk)) {
                    a.getShape();
                }
            }
        }
    }

    /** Generated waves rather than noise: every sample differs, and the case is the same on every run. */
    private static float[] waves(int length, int phase) {
        float[] v = new float[length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(0.37 * i + phase);
        }
        return v;
    }

    /** A kernel of the same kind of waves, scaled down with its size. */
    private static float[] kernelWaves(int channels, int kernel) {
        float[] w = new float[channels * kernel * kernel];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (Math.cos(0.91 * i + kernel) / kernel);
        }
        return w;
    }

    private static void assertClose(double[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + " length");
        double scale = 1e-12;
        for (double v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < got.length; i++) {
            assertEquals(want[i], got[i], 1e-4 * scale, what + " " + i);
        }
    }

    /** d sum(y * g) / dx and / dw for stride 1 and dilation 1, summed in double precision. */
    private static double[][] gradients(float[] g, float[] x, float[] w, int n, int channels, int size, int kernel,
            int pad, int out) {
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        for (int i = 0; i < n; i++) {
            for (int oy = 0; oy < out; oy++) {
                for (int ox = 0; ox < out; ox++) {
                    double go = g[(i * out + oy) * out + ox];
                    for (int c = 0; c < channels; c++) {
                        for (int ky = 0; ky < kernel; ky++) {
                            for (int kx = 0; kx < kernel; kx++) {
                                int iy = oy - pad + ky;
                                int ix = ox - pad + kx;
                                if (iy >= 0 && iy < size && ix >= 0 && ix < size) {
                                    int xi = ((i * channels + c) * size + iy) * size + ix;
                                    int wi = (c * kernel + ky) * kernel + kx;
                                    dx[xi] += go * w[wi];
                                    dw[wi] += go * x[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dx, dw};
    }

    private static double[] reference(float[] x, float[] w, float b, int n, int channels, int size, int kernel,
            int stride, int pad, int dilation, int out) {
        double[] y = new double[n * out * out];
        for (int i = 0; i < n; i++) {
            for (int oy = 0; oy < out; oy++) {
                for (int ox = 0; ox < out; ox++) {
                    double s = b;
                    for (int c = 0; c < channels; c++) {
                        for (int ky = 0; ky < kernel; ky++) {
                            for (int kx = 0; kx < kernel; kx++) {
                                int iy = oy * stride - pad + ky * dilation;
                                int ix = ox * stride - pad + kx * dilation;
                                if (iy >= 0 && iy < size && ix >= 0 && ix < size) {
                                    s += (double) x[((i * channels + c) * size + iy) * size + ix]
                                            * w[(c * kernel + ky) * kernel + kx];
                                }
                            }
                        }
                    }
                    y[(i * out + oy) * out + ox] = s;
                }
            }
        }
        return y;
    }
}
