package org.utad.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.utad.config.Mode;
import org.utad.config.Normalization;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;

/**
 * Normal images prepared for training: validated, normalised to [0, 1] and, in resize mode,
 * scaled to the model size once, so that batches are cheap to draw.
 *
 * <p>Batches are drawn with an explicit {@link Random} so that a run is reproducible from its seed.
 * In patch mode a batch holds random crops of the model size at native resolution; with
 * augmentation each sample is also flipped and rotated by a multiple of 90 degrees at random
 * (rotation only on square inputs, which model inputs always are).
 */
public final class TrainingSet {
    /** The fewest normal images a model can be trained on (one of them may go to validation). */
    public static final int MIN_IMAGES = 3;

    private final List<float[]> samples;
    private final int[] widths;
    private final int[] heights;
    private final int channels;
    private final int size;
    private final Mode mode;
    private final List<String> names;
    private final boolean[] padded;

    private TrainingSet(List<float[]> samples, int[] widths, int[] heights, int channels, int size, Mode mode,
                        List<String> names, boolean[] padded) {
        this.samples = samples;
        this.widths = widths;
        this.heights = heights;
        this.channels = channels;
        this.size = size;
        this.mode = mode;
        this.names = names;
        this.padded = padded;
    }

    /**
     * Checks and prepares images for training. In patch mode an image narrower or lower than the
     * model size is reflection-padded to it ({@link Resample#reflectPad}), as detection pads such
     * images, so that a folder with a few small images trains instead of failing;
     * {@link #paddedNames()} lists them so the caller can say so.
     *
     * @param images        raw images
     * @param normalization the model's normalisation
     * @param size          the model's input size
     * @param mode          resize or patch
     * @param minImages     how many images are needed at least (use {@link #MIN_IMAGES} for training)
     * @return the prepared set
     * @throws InvalidInputException if there are too few images, channels are mixed or a pixel is
     *                               not finite
     */
    public static TrainingSet prepare(List<FloatImage> images, Normalization normalization, int size, Mode mode,
                                      int minImages) {
        if (images.size() < minImages) {
            throw new InvalidInputException("Training needs at least " + minImages + " normal images, got "
                    + images.size() + ". Add more images of normal samples.");
        }
        int channels = images.get(0).channels();
        List<float[]> out = new ArrayList<>();
        int[] w = new int[images.size()];
        int[] h = new int[images.size()];
        List<String> names = new ArrayList<>();
        boolean[] padded = new boolean[images.size()];
        float lowest = Float.POSITIVE_INFINITY;
        float highest = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < images.size(); i++) {
            FloatImage img = images.get(i);
            if (img.channels() != channels) {
                throw new InvalidInputException("Training images mix grey and colour: " + images.get(0).name()
                        + " has " + channels + " channel(s) but " + img.name() + " has " + img.channels()
                        + ". Convert them all to grey or all to RGB first.");
            }
            int bad = img.firstNonFinite();
            if (bad >= 0) {
                throw new InvalidInputException("Image " + img.name() + " has a NaN or infinite pixel at (x="
                        + (bad % img.width()) + ", y=" + ((bad / img.width()) % img.height())
                        + "). Remove or repair it before training.");
            }
            float[] norm = normalization.apply(img);
            for (float v : norm) {
                lowest = Math.min(lowest, v);
                highest = Math.max(highest, v);
            }
            if (mode == Mode.RESIZE) {
                out.add(Resample.resize(norm, img.width(), img.height(), channels, size, size));
                w[i] = size;
                h[i] = size;
            } else {
                w[i] = Math.max(size, img.width());
                h[i] = Math.max(size, img.height());
                padded[i] = w[i] != img.width() || h[i] != img.height();
                out.add(padded[i] ? Resample.reflectPad(norm, img.width(), img.height(), channels, w[i], h[i]) : norm);
            }
            names.add(img.name());
        }
        if (!(highest > lowest)) {
            throw new InvalidInputException("All " + images.size() + " training images are one constant grey value;"
                    + " there is no texture to learn. Check that the right images were selected.");
        }
        return new TrainingSet(out, w, h, channels, size, mode, names, padded);
    }

    /**
     * Splits off a validation set, the same way for the same seed.
     *
     * @param fraction share of images for validation; at least one image goes to each side when
     *                 the fraction is positive
     * @param seed     the run's seed
     * @return two sets: [0] training, [1] validation (possibly empty)
     */
    public TrainingSet[] split(double fraction, long seed) {
        List<List<Integer>> idx = splitIndices(samples.size(), fraction, seed);
        return new TrainingSet[] {subset(idx.get(0)), subset(idx.get(1))};
    }

    /**
     * The seeded split of image indices behind {@link #split(double, long)}, for callers that
     * must split the raw images the same way (calibration runs on the raw validation images).
     *
     * @param n        number of images
     * @param fraction share for validation
     * @param seed     the run's seed
     * @return [training indices, validation indices]
     */
    public static List<List<Integer>> splitIndices(int n, double fraction, long seed) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(seed));
        int nVal = fraction <= 0 ? 0 : Math.max(1, (int) Math.round(fraction * n));
        nVal = Math.max(0, Math.min(nVal, n - 1));
        return List.of(new ArrayList<>(idx.subList(nVal, n)), new ArrayList<>(idx.subList(0, nVal)));
    }

    /**
     * Selects some images of this set.
     *
     * @param idx indices into this set
     * @return a set of those images, in the given order
     */
    public TrainingSet subset(List<Integer> idx) {
        List<float[]> s = new ArrayList<>();
        int[] w = new int[idx.size()];
        int[] h = new int[idx.size()];
        List<String> n = new ArrayList<>();
        boolean[] p = new boolean[idx.size()];
        for (int k = 0; k < idx.size(); k++) {
            int i = idx.get(k);
            s.add(samples.get(i));
            w[k] = widths[i];
            h[k] = heights[i];
            n.add(names.get(i));
            p[k] = padded[i];
        }
        return new TrainingSet(s, w, h, channels, size, mode, n, p);
    }

    /** @return number of images */
    public int size() {
        return samples.size();
    }

    /** @return channels of every image */
    public int channels() {
        return channels;
    }

    /** @return the model input size */
    public int inputSize() {
        return size;
    }

    /** @return the image names, in set order */
    public List<String> names() {
        return Collections.unmodifiableList(names);
    }

    /**
     * @return the names of the images that patch mode reflection-padded because they were narrower or
     *         lower than the model size, in set order; empty in resize mode
     */
    public List<String> paddedNames() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < padded.length; i++) {
            if (padded[i]) {
                out.add(names.get(i));
            }
        }
        return out;
    }

    /**
     * Draws a random batch.
     *
     * @param manager   where the batch array is created
     * @param batchSize samples per batch
     * @param random    the run's random source
     * @param augment   whether to flip and rotate at random
     * @return an array of shape (batch, channels, size, size) in [0, 1]
     */
    public NDArray sampleBatch(NDManager manager, int batchSize, Random random, boolean augment) {
        return manager.create(fill(batchSize, random, augment), new Shape(batchSize, channels, size, size));
    }

    /**
     * Draws a random batch twice: as it is, and with a synthetic defect ({@link Corruptions}) painted
     * into each sample with probability {@code corruption}, for training a network to undo defects.
     * The clean batch is the one {@link #sampleBatch} draws from the same random state; with
     * {@code corruption} 0 the input is that same array, so the paper's training costs no copy.
     *
     * @param manager    where the arrays are created
     * @param batchSize  samples per batch
     * @param random     the run's random source
     * @param augment    whether to flip and rotate at random
     * @param corruption probability that a sample is damaged, 0..1
     * @return the clean batch and the network's input, both (batch, channels, size, size) in [0, 1]
     */
    public NDList samplePairs(NDManager manager, int batchSize, Random random, boolean augment, double corruption) {
        float[] clean = fill(batchSize, random, augment);
        Shape shape = new Shape(batchSize, channels, size, size);
        if (corruption <= 0) {
            NDArray x = manager.create(clean, shape);
            return new NDList(x, x);
        }
        float[] input = clean.clone();
        int sample = channels * size * size;
        float[] one = new float[sample];
        for (int b = 0; b < batchSize; b++) {
            if (random.nextDouble() < corruption) {
                System.arraycopy(input, b * sample, one, 0, sample);
                Corruptions.paint(one, channels, size, random);
                System.arraycopy(one, 0, input, b * sample, sample);
            }
        }
        return new NDList(manager.create(clean, shape), manager.create(input, shape));
    }

    private float[] fill(int batchSize, Random random, boolean augment) {
        int plane = size * size;
        float[] batch = new float[batchSize * channels * plane];
        float[] crop = new float[channels * plane];
        for (int b = 0; b < batchSize; b++) {
            int i = random.nextInt(samples.size());
            int x0 = widths[i] == size ? 0 : random.nextInt(widths[i] - size + 1);
            int y0 = heights[i] == size ? 0 : random.nextInt(heights[i] - size + 1);
            crop(i, x0, y0, crop);
            int transform = augment ? random.nextInt(8) : 0;
            transform(crop, channels, size, transform, batch, b * channels * plane);
        }
        return batch;
    }

    /**
     * Returns fixed samples for validation and calibration: in resize mode every image, in patch
     * mode a grid of crops covering each image (up to {@code perImage} crops per image).
     *
     * @param perImage the most crops taken from one image in patch mode
     * @return planar arrays of shape (channels, size, size)
     */
    public List<float[]> fixedSamples(int perImage) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            if (widths[i] == size && heights[i] == size) {
                out.add(samples.get(i));
                continue;
            }
            int nx = Math.max(1, widths[i] / size);
            int ny = Math.max(1, heights[i] / size);
            int taken = 0;
            for (int gy = 0; gy < ny && taken < perImage; gy++) {
                for (int gx = 0; gx < nx && taken < perImage; gx++) {
                    int x0 = nx == 1 ? (widths[i] - size) / 2 : gx * (widths[i] - size) / (nx - 1);
                    int y0 = ny == 1 ? (heights[i] - size) / 2 : gy * (heights[i] - size) / (ny - 1);
                    float[] c = new float[channels * size * size];
                    crop(i, x0, y0, c);
                    out.add(c);
                    taken++;
                }
            }
        }
        return out;
    }

    private void crop(int i, int x0, int y0, float[] dst) {
        float[] src = samples.get(i);
        int w = widths[i];
        int h = heights[i];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < size; y++) {
                System.arraycopy(src, c * w * h + (y0 + y) * w + x0, dst, c * size * size + y * size, size);
            }
        }
    }

    /**
     * Applies one of the 8 symmetries of the square (bit 0: horizontal flip, bit 1: vertical flip,
     * bit 2: transpose) while copying into the batch.
     */
    static void transform(float[] src, int channels, int s, int t, float[] dst, int offset) {
        boolean flipX = (t & 1) != 0;
        boolean flipY = (t & 2) != 0;
        boolean transpose = (t & 4) != 0;
        int plane = s * s;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    int sx = transpose ? y : x;
                    int sy = transpose ? x : y;
                    if (flipX) {
                        sx = s - 1 - sx;
                    }
                    if (flipY) {
                        sy = s - 1 - sy;
                    }
                    dst[offset + c * plane + y * s + x] = src[c * plane + sy * s + sx];
                }
            }
        }
    }
}
