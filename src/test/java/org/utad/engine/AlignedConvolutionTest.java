package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
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
        // Generated waves rather than noise: every sample differs, and the case is the same on every run.
        float[] x = new float[n * channels * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.37 * i + channels);
        }
        float[] w = new float[channels * kernel * kernel];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (Math.cos(0.91 * i + kernel) / kernel);
        }
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
