package org.utad.config;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;

/**
 * Maps raw sample values to the [0, 1] range the networks work in, the same way for training and
 * for detection: it is fitted once on the training images and stored in the model.
 *
 * <p>8-bit sources (and RGB) map their full range 0..255 linearly. 16- and 32-bit sources, where
 * the useful range is a small part of the type's range (a microscope uses a few thousand grey
 * levels of 65536), map robust percentiles (0.5 % and 99.5 % of the training pixels) to 0 and 1.
 * Values outside are clipped, so an anomaly brighter than anything normal still reads as 1.
 *
 * @param kind "fixed8" for 0..255, or "percentile" for fitted bounds
 * @param low  the raw value that maps to 0
 * @param high the raw value that maps to 1
 */
public record Normalization(String kind, double low, double high) {
    /** Lower percentile of the training pixels used for 16/32-bit data. */
    public static final double LOW_PERCENTILE = 0.005;
    /** Upper percentile of the training pixels used for 16/32-bit data. */
    public static final double HIGH_PERCENTILE = 0.995;
    private static final int MAX_SAMPLES = 2_000_000;

    /** @throws IllegalArgumentException if the bounds are not finite or not increasing */
    public Normalization {
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(high > low)) {
            throw new IllegalArgumentException("Normalisation bounds must be finite with high > low, got "
                    + low + ", " + high);
        }
    }

    /**
     * Fits the normalisation of a training set.
     *
     * @param images the training images, all of one bit depth
     * @return 0..255 for 8-bit data, fitted percentile bounds otherwise
     * @throws InvalidInputException if bit depths are mixed, or the images are constant
     */
    public static Normalization fit(List<FloatImage> images) {
        if (images.isEmpty()) {
            throw new InvalidInputException("No images to fit the normalisation on.");
        }
        int depth = images.get(0).bitDepth();
        for (FloatImage img : images) {
            if (img.bitDepth() != depth) {
                throw new InvalidInputException("Training images mix bit depths: " + images.get(0).name() + " is "
                        + depth + "-bit but " + img.name() + " is " + img.bitDepth()
                        + "-bit. Convert them to one bit depth first (Image > Type).");
            }
        }
        if (depth == 8) {
            return new Normalization("fixed8", 0, 255);
        }
        long total = 0;
        for (FloatImage img : images) {
            total += img.data().length;
        }
        int n = (int) Math.min(total, MAX_SAMPLES);
        float[] sample = new float[n];
        Random r = new Random(12345);
        if (total <= MAX_SAMPLES) {
            int k = 0;
            for (FloatImage img : images) {
                System.arraycopy(img.data(), 0, sample, k, img.data().length);
                k += img.data().length;
            }
        } else {
            for (int i = 0; i < n; i++) {
                FloatImage img = images.get(r.nextInt(images.size()));
                sample[i] = img.data()[r.nextInt(img.data().length)];
            }
        }
        Arrays.sort(sample);
        double lo = sample[(int) Math.floor(LOW_PERCENTILE * (n - 1))];
        double hi = sample[(int) Math.ceil(HIGH_PERCENTILE * (n - 1))];
        if (!(hi > lo)) {
            lo = sample[0];
            hi = sample[n - 1];
        }
        if (!(hi > lo)) {
            throw new InvalidInputException("All training images are constant (every pixel is " + lo
                    + "); there is no texture to learn. Check that the right images were selected.");
        }
        return new Normalization("percentile", lo, hi);
    }

    /**
     * Normalises an image's samples.
     *
     * @param image raw image
     * @return a new planar array in [0, 1]
     */
    public float[] apply(FloatImage image) {
        float[] src = image.data();
        float[] out = new float[src.length];
        float lo = (float) low;
        float scale = (float) (1.0 / (high - low));
        for (int i = 0; i < src.length; i++) {
            float v = (src[i] - lo) * scale;
            out[i] = v < 0f ? 0f : (v > 1f ? 1f : v);
        }
        return out;
    }
}
