package org.utad.data;

import java.util.Random;
import org.utad.core.FloatImage;

/**
 * Seeded generator of textured "normal" images and of planted defects with their masks.
 *
 * <p>Used by the tests (every test image is generated, never downloaded) and by the demo-data
 * writer that produces {@code test-data/}. Normal images of one generator share a texture family
 * (oriented stripes plus smooth grain with random phase) so a model can learn what normal looks
 * like; defects are local departures from it. Values lie in [0, 1].
 */
public final class SyntheticImages {
    /** The kinds of planted defect. */
    public enum Defect {
        /** A thin bright or dark line across part of the image. */
        SCRATCH,
        /** A bright, soft-edged disk. */
        BLOB,
        /** A dark, sharp-edged disk. */
        HOLE,
        /** A cluster of small dark specks. */
        CONTAMINATION
    }

    /** An image with a planted defect and the mask of the pixels it changed. */
    public record Defective(FloatImage image, boolean[] mask, Defect defect) {
    }

    private final long seed;

    /**
     * @param seed seed of the texture family; the same seed and index always give the same image
     */
    public SyntheticImages(long seed) {
        this.seed = seed;
    }

    /**
     * Makes a normal (defect-free) textured image.
     *
     * @param index    which image of the family (a different random phase and grain)
     * @param width    width in pixels
     * @param height   height in pixels
     * @param channels 1 for grey, 3 for RGB (channels differ by a fixed tint)
     * @return the image, 8-bit by provenance, values in [0, 1]
     */
    public FloatImage normal(int index, int width, int height, int channels) {
        Random r = new Random(seed * 1_000_003L + index);
        float[] grain = smoothNoise(r, width, height, 4);
        double phase1 = r.nextDouble() * 2 * Math.PI;
        double phase2 = r.nextDouble() * 2 * Math.PI;
        float[] data = new float[width * height * channels];
        int plane = width * height;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = 0.5 + 0.12 * Math.sin(2 * Math.PI * (x + 0.5 * y) / 9.0 + phase1)
                        + 0.06 * Math.sin(2 * Math.PI * (y - 0.3 * x) / 23.0 + phase2)
                        + 0.10 * grain[y * width + x];
                for (int c = 0; c < channels; c++) {
                    double tint = channels == 1 ? 0 : (c - 1) * 0.08;
                    data[c * plane + y * width + x] = (float) clamp(v + tint);
                }
            }
        }
        return new FloatImage(width, height, channels, data, 8, "normal_" + index, null);
    }

    /**
     * Makes a normal image and plants a defect in it.
     *
     * @param index    which image of the family
     * @param width    width in pixels
     * @param height   height in pixels
     * @param channels 1 or 3
     * @param defect   the kind of defect
     * @return the image, its mask (true where the defect is) and the kind
     */
    public Defective defective(int index, int width, int height, int channels, Defect defect) {
        FloatImage img = normal(index, width, height, channels);
        Random r = new Random(seed * 7_919L + index * 31L + defect.ordinal());
        boolean[] mask = new boolean[width * height];
        int size = Math.max(3, Math.min(width, height) / 8);
        int cx = size + r.nextInt(Math.max(1, width - 2 * size));
        int cy = size + r.nextInt(Math.max(1, height - 2 * size));
        switch (defect) {
            case SCRATCH: {
                double angle = r.nextDouble() * Math.PI;
                double len = size * 2.5;
                float value = r.nextBoolean() ? 1f : 0f;
                for (double t = -len / 2; t <= len / 2; t += 0.25) {
                    int px = (int) Math.round(cx + t * Math.cos(angle));
                    int py = (int) Math.round(cy + t * Math.sin(angle));
                    for (int d = -1; d <= 0; d++) {
                        paint(img, mask, px + d, py, value, 1f);
                    }
                }
                break;
            }
            case BLOB: {
                double radius = size * 0.6;
                for (int y = (int) (cy - radius); y <= cy + radius; y++) {
                    for (int x = (int) (cx - radius); x <= cx + radius; x++) {
                        double d = Math.hypot(x - cx, y - cy) / radius;
                        if (d <= 1) {
                            paint(img, mask, x, y, 1f, (float) (0.4 + 0.6 * (1 - d * d)));
                        }
                    }
                }
                break;
            }
            case HOLE: {
                double radius = size * 0.5;
                for (int y = (int) (cy - radius); y <= cy + radius; y++) {
                    for (int x = (int) (cx - radius); x <= cx + radius; x++) {
                        if (Math.hypot(x - cx, y - cy) <= radius) {
                            paint(img, mask, x, y, 0.02f, 1f);
                        }
                    }
                }
                break;
            }
            default: {
                int specks = 6 + r.nextInt(6);
                for (int s = 0; s < specks; s++) {
                    int sx = cx + (int) Math.round(r.nextGaussian() * size * 0.4);
                    int sy = cy + (int) Math.round(r.nextGaussian() * size * 0.4);
                    for (int y = sy - 1; y <= sy + 1; y++) {
                        for (int x = sx - 1; x <= sx + 1; x++) {
                            paint(img, mask, x, y, 0.1f, 0.9f);
                        }
                    }
                }
                break;
            }
        }
        return new Defective(img.withName(defect.name().toLowerCase() + "_" + index), mask, defect);
    }

    private static void paint(FloatImage img, boolean[] mask, int x, int y, float value, float alpha) {
        if (x < 0 || y < 0 || x >= img.width() || y >= img.height()) {
            return;
        }
        for (int c = 0; c < img.channels(); c++) {
            float old = img.get(x, y, c);
            img.set(x, y, c, old + alpha * (value - old));
        }
        mask[y * img.width() + x] = true;
    }

    /** Bilinearly interpolated random grid noise of zero mean and unit-ish amplitude. */
    private static float[] smoothNoise(Random r, int width, int height, int cell) {
        int gw = width / cell + 2;
        int gh = height / cell + 2;
        float[] grid = new float[gw * gh];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = (float) r.nextGaussian() * 0.5f;
        }
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            double gy = (double) y / cell;
            int y0 = (int) gy;
            double fy = gy - y0;
            for (int x = 0; x < width; x++) {
                double gx = (double) x / cell;
                int x0 = (int) gx;
                double fx = gx - x0;
                double a = grid[y0 * gw + x0] * (1 - fx) + grid[y0 * gw + x0 + 1] * fx;
                double b = grid[(y0 + 1) * gw + x0] * (1 - fx) + grid[(y0 + 1) * gw + x0 + 1] * fx;
                out[y * width + x] = (float) (a * (1 - fy) + b * fy);
            }
        }
        return out;
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }
}
