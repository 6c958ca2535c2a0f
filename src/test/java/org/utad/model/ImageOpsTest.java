package org.utad.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Gaussian filter under SSIM, in training: its gradient must be finite and right on every CPU.
 * A depthwise convolution with one output channel per group reaches the oneDNN backward kernel that
 * reads uninitialised weight lanes on AMD Zen 5 (docs/NUMERICS.md); there the SSIM loss gave NaN
 * gradients and then corrupted the native heap.
 */
class ImageOpsTest {
    @BeforeAll
    static void start() {
        BlockChecks.startEngine(13);
    }

    /**
     * Leaves NaN bit patterns in freed small blocks of the native heap, where the engine's next small
     * buffers (such as a convolution's reordered weights) may be allocated.
     */
    private static void dirtyFreedMemory() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < 400; i++) {
                manager.full(new Shape(256 << (i % 6)), Float.NaN);
            }
        }
    }

    @Test
    void theBlurOfAPointIsTheSeparableKernel() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] v = new float[2 * 11 * 11];
            v[5 * 11 + 5] = 1;
            v[121 + 5 * 11 + 5] = 2;
            NDArray x = manager.create(v, new Shape(1, 2, 11, 11));
            float[] k = ImageOps.gaussianKernel(1.5, 11);
            float[] y = ImageOps.gaussianZeroPadded(x, 1.5, 11).toFloatArray();
            for (int r = 0; r < 11; r++) {
                for (int c = 0; c < 11; c++) {
                    assertEquals(k[r] * k[c], y[r * 11 + c], 1e-6f);
                    assertEquals(2 * k[r] * k[c], y[121 + r * 11 + c], 1e-6f);
                }
            }
        }
    }

    @Test
    void theBlursGradientIsFiniteAndIsTheBlurOfTheWeights() {
        // d/dx sum(w * G(x)) = G(w) for a symmetric, zero-padded Gaussian G. Fresh tensors each round:
        // the fault depends on what newly allocated memory holds.
        for (int round = 0; round < 20; round++) {
            dirtyFreedMemory();
            try (NDManager manager = NDManager.newBaseManager()) {
                Shape s = new Shape(4, 3, 64, 64);
                NDArray x = manager.randomUniform(0, 1, s);
                NDArray w = manager.randomUniform(-1, 1, s);
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(ImageOps.gaussianZeroPadded(x, 1.5, 11).mul(w).sum());
                }
                float[] grad = x.getGradient().toFloatArray();
                float[] expected = ImageOps.gaussianZeroPadded(w, 1.5, 11).toFloatArray();
                for (int i = 0; i < grad.length; i++) {
                    assertTrue(Float.isFinite(grad[i]), "round " + round + ": gradient " + i + " is " + grad[i]);
                    assertEquals(expected[i], grad[i], 1e-5f, "round " + round + ", element " + i);
                }
            }
        }
    }

    @Test
    void theSoftLuminanceConstantDampsOnlyNearBlack() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape s = new Shape(1, 1, 16, 16);
            // Flat images, so only the luminance term differs from 1; the centre pixel is read.
            float[][] pairs = {{0f, 0.03f}, {0.5f, 0.8f}, {0f, 1f}};
            float[][] ssim = new float[pairs.length][2];
            for (int i = 0; i < pairs.length; i++) {
                NDArray a = manager.full(s, pairs[i][0]);
                NDArray b = manager.full(s, pairs[i][1]);
                ssim[i][0] = ImageOps.ssimMap(a, b).toFloatArray()[8 * 16 + 8];
                ssim[i][1] = ImageOps.ssimMap(a, b, ImageOps.SOFT_C1).toFloatArray()[8 * 16 + 8];
            }
            assertTrue(ssim[0][0] < 0.2 && ssim[0][1] > 0.9,
                    "black against grey 0.03: standard " + ssim[0][0] + ", soft " + ssim[0][1]);
            assertTrue(ssim[1][0] < 0.91 && Math.abs(ssim[1][0] - ssim[1][1]) < 0.01,
                    "grey 0.5 against 0.8 must stay a difference: standard " + ssim[1][0] + ", soft " + ssim[1][1]);
            assertTrue(ssim[2][0] < 0.02 && ssim[2][1] < 0.02,
                    "black against white: standard " + ssim[2][0] + ", soft " + ssim[2][1]);
        }
    }

    @Test
    void theSsimLossHasFiniteGradients() {
        for (int round = 0; round < 20; round++) {
            dirtyFreedMemory();
            try (NDManager manager = NDManager.newBaseManager()) {
                Shape s = new Shape(16, 1, 64, 64);
                NDArray a = manager.randomUniform(0, 1, s);
                NDArray b = manager.randomUniform(0, 1, s);
                a.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(ImageOps.ssimMap(a, b).mean().neg().add(1));
                }
                NDArray g = a.getGradient();
                assertTrue(g.isInfinite().logicalOr(g.isNaN()).none().getBoolean(),
                        "round " + round + ": the SSIM loss gave a non-finite gradient");
                assertTrue(g.abs().sum().getFloat() > 0, "round " + round + ": the SSIM loss gave no gradient");
            }
        }
    }
}
