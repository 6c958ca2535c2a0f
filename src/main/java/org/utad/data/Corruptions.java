package org.utad.data;

import java.util.Random;

/**
 * Synthetic defects painted into normal training samples, so that the IE-Net learns to return the
 * clean sample when shown a damaged one (stage 1's {@code corruption} setting).
 *
 * <p>Why: an autoencoder trained only to copy normal images also copies what it has never seen,
 * as long as it is smooth enough: a dark region, a brighter band, a missing corner come back in its
 * impression, and the residual stays low exactly where the defect is. Asking for the clean sample
 * from a damaged input teaches it to replace unfamiliar content by what normal content looks like
 * around it. The defects are generic, not modelled on any dataset: a soft-edged ellipse or a thin
 * line, filled with one of four changes (shifted brightness, flattened texture, texture moved from
 * elsewhere in the sample, added noise), each with random size, place and strength.
 */
public final class Corruptions {
    /** Number of kinds of change a region can receive. */
    static final int KINDS = 4;

    private Corruptions() {
    }

    /**
     * Paints one random defect into a sample, in place.
     *
     * @param sample   planar values in [0, 1], shape (channels, size, size)
     * @param channels channels of the sample
     * @param size     width and height of the sample
     * @param random   the run's random source, for reproducible runs
     * @return the defect's soft mask (size x size, values in [0, 1]), for tests and diagnostics
     */
    public static float[] paint(float[] sample, int channels, int size, Random random) {
        float[] alpha = random.nextInt(4) == 0 ? line(size, random) : ellipse(size, random);
        int kind = random.nextInt(KINDS);
        int plane = size * size;
        double shift = (0.1 + 0.3 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1);
        double contrast = 0.3 * random.nextDouble();
        int dx = size / 4 + random.nextInt(Math.max(1, size / 2));
        int dy = size / 4 + random.nextInt(Math.max(1, size / 2));
        double noise = 0.05 + 0.15 * random.nextDouble();
        for (int c = 0; c < channels; c++) {
            int off = c * plane;
            double mean = weightedMean(sample, off, alpha);
            for (int i = 0; i < plane; i++) {
                float a = alpha[i];
                if (a <= 0) {
                    continue;
                }
                double v = sample[off + i];
                double t;
                switch (kind) {
                    case 0:
                        t = v + shift;
                        break;
                    case 1:
                        t = mean + contrast * (v - mean) + shift / 2;
                        break;
                    case 2:
                        int x = (i % size + dx) % size;
                        int y = (i / size + dy) % size;
                        t = sample[off + y * size + x];
                        break;
                    default:
                        t = v + noise * random.nextGaussian();
                        break;
                }
                sample[off + i] = (float) Math.min(1, Math.max(0, v + a * (t - v)));
            }
        }
        return alpha;
    }

    /** A rotated ellipse with radii from 3 % to 40 % of the side and a soft edge. */
    static float[] ellipse(int size, Random random) {
        double cx = random.nextDouble() * size;
        double cy = random.nextDouble() * size;
        double rx = size * (0.03 + 0.37 * random.nextDouble());
        double ry = size * (0.03 + 0.37 * random.nextDouble());
        double angle = random.nextDouble() * Math.PI;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double feather = 0.25;
        float[] alpha = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double u = ((x - cx) * cos + (y - cy) * sin) / rx;
                double v = (-(x - cx) * sin + (y - cy) * cos) / ry;
                double d = Math.sqrt(u * u + v * v);
                alpha[y * size + x] = (float) Math.min(1, Math.max(0, (1 - d) / feather));
            }
        }
        return alpha;
    }

    /** A straight stroke 1 to 3 px wide and 20 % to 80 % of the side long, antialiased. */
    static float[] line(int size, Random random) {
        double x0 = random.nextDouble() * size;
        double y0 = random.nextDouble() * size;
        double angle = random.nextDouble() * 2 * Math.PI;
        double length = size * (0.2 + 0.6 * random.nextDouble());
        double halfWidth = 0.5 + random.nextDouble();
        double ux = Math.cos(angle);
        double uy = Math.sin(angle);
        float[] alpha = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double along = Math.min(length, Math.max(0, (x - x0) * ux + (y - y0) * uy));
                double px = x0 + along * ux - x;
                double py = y0 + along * uy - y;
                double d = Math.sqrt(px * px + py * py);
                alpha[y * size + x] = (float) Math.min(1, Math.max(0, halfWidth + 0.5 - d));
            }
        }
        return alpha;
    }

    private static double weightedMean(float[] sample, int off, float[] alpha) {
        double sum = 0;
        double weight = 0;
        for (int i = 0; i < alpha.length; i++) {
            sum += alpha[i] * sample[off + i];
            weight += alpha[i];
        }
        return weight > 0 ? sum / weight : 0;
    }
}
