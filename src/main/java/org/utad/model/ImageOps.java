package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.utad.engine.AlignedConvolution;
import org.utad.engine.OwnedArrays;

/**
 * Image arithmetic on the engine's device, batched: Gaussian blur, SSIM, and grey conversion.
 *
 * <p>Shared by training (the optional SSIM loss) and detection (residual maps), so that both compute
 * SSIM in exactly the same way, and so that no per-pixel network-side work runs in Java loops.
 * Detection smooths its blended map on the host with {@link #gaussianKernel}, since the map is
 * already there. Inputs are (N, C, H, W) arrays.
 */
public final class ImageOps {
    /** SSIM's standard luminance constant for data in [0, 1]: (0.01)^2. */
    public static final float C1 = 1e-4f;
    /**
     * A luminance constant of (0.1)^2, for residual maps that must not flare in near-black regions
     * (see {@link #ssimMap(NDArray, NDArray, float)}).
     */
    public static final float SOFT_C1 = 1e-2f;
    /** SSIM's standard contrast constant for data in [0, 1]: (0.03)^2. */
    private static final float C2 = 9e-4f;
    /** SSIM window: Gaussian of size 11 and sigma 1.5, as in the reference. */
    public static final int SSIM_WINDOW = 11;
    /** SSIM window sigma. */
    public static final double SSIM_SIGMA = 1.5;

    private ImageOps() {
    }

    /**
     * A normalised 1D Gaussian kernel.
     *
     * @param sigma standard deviation in pixels
     * @param size  odd kernel length
     * @return the weights, summing to 1
     */
    public static float[] gaussianKernel(double sigma, int size) {
        float[] k = new float[size];
        double sum = 0;
        int r = size / 2;
        for (int i = 0; i < size; i++) {
            double v = Math.exp(-((i - r) * (i - r)) / (2 * sigma * sigma));
            k[i] = (float) v;
            sum += v;
        }
        for (int i = 0; i < size; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    /** @return the kernel length that covers three sigmas on each side, at least 3 */
    public static int kernelSize(double sigma) {
        return Math.max(3, 2 * (int) Math.ceil(3 * sigma) + 1);
    }

    /**
     * Separable Gaussian filter with zero padding, each channel on its own.
     *
     * <p>Each channel plane is filtered as its own one-channel image by ungrouped convolutions that go
     * through {@link AlignedConvolution}: with gradients recorded on the CPU (the SSIM training loss),
     * a one-output-channel convolution reaches the oneDNN backward kernel that reads uninitialised
     * weight lanes on AMD Zen 5, which gave NaN gradients and then a corrupted native heap.
     *
     * @param x     (N, C, H, W)
     * @param sigma standard deviation in pixels
     * @param size  odd kernel length
     * @return the filtered array, same shape
     */
    public static NDArray gaussianZeroPadded(NDArray x, double sigma, int size) {
        Shape s = x.getShape();
        NDManager m = x.getManager();
        float[] k = gaussianKernel(sigma, size);
        int r = size / 2;
        Shape one = new Shape(1, 1);
        try (NDArray planes = x.reshape(s.get(0) * s.get(1), 1, s.get(2), s.get(3));
             NDArray kx = OwnedArrays.of(m, k, new Shape(1, 1, 1, size));
             NDArray ky = OwnedArrays.of(m, k, new Shape(1, 1, size, 1));
             NDArray h = AlignedConvolution.conv2d(planes, kx, null, one, new Shape(0, r), one, 1);
             NDArray out = AlignedConvolution.conv2d(h, ky, null, one, new Shape(r, 0), one, 1)) {
            return out.reshape(s);
        }
    }

    /**
     * The per-pixel SSIM map of two batches, channel-wise, with the reference's 11-pixel Gaussian
     * window and zero padding.
     *
     * @param a (N, C, H, W) in [0, 1]
     * @param b same shape
     * @return the SSIM map, same shape, 1 where identical
     */
    public static NDArray ssimMap(NDArray a, NDArray b) {
        return ssimMap(a, b, C1);
    }

    /**
     * The per-pixel SSIM map with a chosen luminance constant. The luminance term (2 mu_a mu_b + c1) /
     * (mu_a^2 + mu_b^2 + c1) compares the two local means relatively: with the standard c1 of
     * (0.01)^2, a black region reconstructed at grey 0.03 scores about 0.1, as low as a real defect.
     * A larger c1 leaves the term almost unchanged where the means are mid or bright grey and bounds
     * it where both are near black.
     *
     * @param a  (N, C, H, W) in [0, 1]
     * @param b  same shape
     * @param c1 the luminance constant, (0.01)^2 in standard SSIM
     * @return the SSIM map, same shape, 1 where identical
     */
    public static NDArray ssimMap(NDArray a, NDArray b, float c1) {
        NDArray muA = gaussianZeroPadded(a, SSIM_SIGMA, SSIM_WINDOW);
        NDArray muB = gaussianZeroPadded(b, SSIM_SIGMA, SSIM_WINDOW);
        NDArray muA2 = muA.square();
        NDArray muB2 = muB.square();
        NDArray muAB = muA.mul(muB);
        NDArray sA = gaussianZeroPadded(a.square(), SSIM_SIGMA, SSIM_WINDOW).subi(muA2);
        NDArray sB = gaussianZeroPadded(b.square(), SSIM_SIGMA, SSIM_WINDOW).subi(muB2);
        NDArray sAB = gaussianZeroPadded(a.mul(b), SSIM_SIGMA, SSIM_WINDOW).subi(muAB);
        NDArray num = OwnedArrays.times(muAB, 2).addi(c1).muli(OwnedArrays.times(sAB, 2).addi(C2));
        NDArray den = muA2.add(muB2).addi(c1).muli(sA.add(sB).addi(C2));
        return num.divi(den);
    }

    /**
     * Converts to grey by averaging channels; grey input is returned as it is.
     *
     * @param x (N, C, H, W)
     * @return (N, 1, H, W)
     */
    public static NDArray grey(NDArray x) {
        return x.getShape().get(1) == 1 ? x : x.mean(new int[] {1}, true);
    }
}
