package org.utad.infer;

import java.util.ArrayList;
import java.util.List;
import org.utad.config.UtadConfig;

/**
 * Patch mode's geometry: how an image is covered by overlapping tiles, how their maps are blended
 * back with a smooth window so no seams show, and how many tiles go into one network batch.
 *
 * <p>Tiles are the detection tile size (the model size unless {@code tile_size} asks for larger
 * tiles, which the fully convolutional networks accept and which cost less overlap), shrunk to the
 * image when it is smaller, in steps of 32 pixels. An image smaller than a tile is covered in its
 * reflection-padded size and the maps are cropped back. This class knows no networks and no pixels
 * of the image: tiles come from a {@link TileReader} and their maps from a {@link BatchRunner}.
 */
final class Tiling {
    /** The most tiles per network batch; each tile is expanded K-fold for the random codes. */
    static final int MAX_TILE_BATCH = 8;
    /** Share of the machine's physical memory that one batch of tiles may use for activations. */
    private static final double MEMORY_SHARE = 0.05;
    /** Upper bound of that budget: larger batches gain little speed on a CPU and cost resident memory. */
    private static final long MAX_BATCH_BYTES = 1L << 30;

    /** Reads the normalised tile at a position of the (padded) image. */
    interface TileReader {
        /**
         * @param x left column in the padded image
         * @param y top row in the padded image
         * @return the tile's planar samples, {@code channels * tileWidth * tileHeight}
         */
        float[] read(int x, int y);
    }

    /** Runs the networks on a batch of tiles. */
    interface BatchRunner {
        /**
         * @param tiles equally sized tiles
         * @return their maps concatenated over the batch
         */
        Maps run(List<float[]> tiles);
    }

    private final int width;
    private final int height;
    private final int tileWidth;
    private final int tileHeight;
    private final int paddedWidth;
    private final int paddedHeight;
    private final int[] xs;
    private final int[] ys;
    private final float[] windowX;
    private final float[] windowY;

    /**
     * Lays the tiles over an image.
     *
     * @param width     image width
     * @param height    image height
     * @param modelSize the model's training size, the smallest tile
     * @param o         the tile size and overlap
     */
    Tiling(int width, int height, int modelSize, DetectOptions o) {
        this.width = width;
        this.height = height;
        int tile = Math.max(modelSize, o.tileSize());
        this.tileWidth = Math.min(tile, roundUp(Math.max(width, modelSize), 32));
        this.tileHeight = Math.min(tile, roundUp(Math.max(height, modelSize), 32));
        this.paddedWidth = Math.max(width, tileWidth);
        this.paddedHeight = Math.max(height, tileHeight);
        this.xs = positions(paddedWidth, tileWidth, Math.max(1, (int) Math.round(tileWidth * (1 - o.tileOverlap()))));
        this.ys = positions(paddedHeight, tileHeight,
                Math.max(1, (int) Math.round(tileHeight * (1 - o.tileOverlap()))));
        this.windowX = window(tileWidth);
        this.windowY = window(tileHeight);
    }

    /** @return the tile width */
    int tileWidth() {
        return tileWidth;
    }

    /** @return the tile height */
    int tileHeight() {
        return tileHeight;
    }

    /** @return the width the tiles cover: the image's, or a tile's when the image is narrower */
    int paddedWidth() {
        return paddedWidth;
    }

    /** @return the height the tiles cover: the image's, or a tile's when the image is lower */
    int paddedHeight() {
        return paddedHeight;
    }

    /** @return whether the image is smaller than a tile, so that tiles are read from a padded copy */
    boolean padded() {
        return paddedWidth != width || paddedHeight != height;
    }

    /**
     * Reads every tile, runs them in batches and blends their maps into maps of the image's size.
     *
     * @param reader   gives each tile
     * @param runner   runs a batch
     * @param batch    tiles per batch
     * @param channels image channels
     * @param o        which intermediates to keep
     * @return the blended maps, of the image's size
     */
    Maps run(TileReader reader, BatchRunner runner, int batch, int channels, DetectOptions o) {
        int pw = paddedWidth;
        int ph = paddedHeight;
        int c = channels;
        boolean more = o.intermediates();
        boolean utad = o.method() == Method.UTAD;
        Maps acc = new Maps(new float[pw * ph], more ? new float[c * pw * ph] : null,
                more && utad ? new float[c * pw * ph] : null, more && utad ? new float[pw * ph] : null);
        List<int[]> pending = new ArrayList<>();
        List<float[]> tiles = new ArrayList<>();
        for (int ty : ys) {
            for (int tx : xs) {
                tiles.add(reader.read(tx, ty));
                pending.add(new int[] {tx, ty});
                if (tiles.size() == batch) {
                    blend(runner.run(tiles), pending, acc, c);
                    tiles.clear();
                    pending.clear();
                }
            }
        }
        if (!tiles.isEmpty()) {
            blend(runner.run(tiles), pending, acc, c);
        }
        float[] colWeight = coverage(xs, windowX, pw);
        float[] rowWeight = coverage(ys, windowY, ph);
        for (int i = 0; i < pw * ph; i++) {
            float inv = 1f / (rowWeight[i / pw] * colWeight[i % pw]);
            acc.map[i] *= inv;
            if (acc.variance != null) {
                acc.variance[i] *= inv;
            }
            for (int k = 0; k < c; k++) {
                if (acc.impression != null) {
                    acc.impression[k * pw * ph + i] *= inv;
                }
                if (acc.expert != null) {
                    acc.expert[k * pw * ph + i] *= inv;
                }
            }
        }
        return padded() ? acc.cropped(width, height, c, pw, ph) : acc;
    }

    /**
     * Sizes a batch of tiles to the memory available: the widest activation of a tile is about
     * {@code 4 * max(ie_filters, expert dim)} channels at full resolution, counted once per K
     * random-code decode of both generators, which {@link ResidualMaps} decodes together (at most
     * {@link ResidualMaps#DECODE_BATCH} images per decoder pass). Since each network runs in its own
     * memory scope, this overestimates the peak, which keeps batches on the small side. The batch may use a twentieth of the physical memory (at most 1 GB), and never more
     * than {@value #MAX_TILE_BATCH} tiles. An out-of-memory error still halves it.
     *
     * @param config the model's configuration (network widths)
     * @param o      the number of random codes
     * @return tiles per batch, at least 1
     */
    int tileBatch(UtadConfig config, DetectOptions o) {
        long channels = 4L * Math.max(config.ieNet().filters(), config.expertNet().dim());
        long perTile = (long) tileWidth * tileHeight * Float.BYTES * channels * (2L * o.randomCodes() + 2);
        long budget = Math.min(MAX_BATCH_BYTES, (long) (physicalMemory() * MEMORY_SHARE));
        return (int) Math.max(1, Math.min(MAX_TILE_BATCH, budget / perTile));
    }

    private static long physicalMemory() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static int roundUp(int v, int step) {
        return (v + step - 1) / step * step;
    }

    /** A separable blending window that is small but positive at tile borders (squared sine). */
    private static float[] window(int s) {
        float[] w = new float[s];
        for (int i = 0; i < s; i++) {
            double v = Math.sin(Math.PI * (i + 0.5) / s);
            w[i] = (float) Math.max(1e-3, v * v);
        }
        return w;
    }

    private static int[] positions(int length, int tile, int stride) {
        if (length <= tile) {
            return new int[] {0};
        }
        int n = (int) Math.ceil((double) (length - tile) / stride) + 1;
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.min(i * stride, length - tile);
        }
        return p;
    }

    /**
     * The summed blending window along one axis. The tiles form a grid and each tile's weight is the
     * product of its two 1-D windows, so the total weight of a pixel is the product of the column and
     * row sums: two short arrays instead of a weight plane as large as the image.
     */
    private static float[] coverage(int[] starts, float[] window, int length) {
        float[] sum = new float[length];
        for (int start : starts) {
            for (int i = 0; i < window.length; i++) {
                sum[start + i] += window[i];
            }
        }
        return sum;
    }

    private void blend(Maps batch, List<int[]> where, Maps acc, int c) {
        int pw = paddedWidth;
        int ph = paddedHeight;
        int tw = tileWidth;
        int th = tileHeight;
        int plane = tw * th;
        for (int t = 0; t < where.size(); t++) {
            int tx = where.get(t)[0];
            int ty = where.get(t)[1];
            for (int y = 0; y < th; y++) {
                for (int x = 0; x < tw; x++) {
                    float wgt = windowY[y] * windowX[x];
                    int dst = (ty + y) * pw + tx + x;
                    int srcIdx = t * plane + y * tw + x;
                    acc.map[dst] += wgt * batch.map[srcIdx];
                    if (acc.variance != null) {
                        acc.variance[dst] += wgt * batch.variance[srcIdx];
                    }
                    for (int k = 0; k < c; k++) {
                        int from = (t * c + k) * plane + y * tw + x;
                        if (acc.impression != null) {
                            acc.impression[k * pw * ph + dst] += wgt * batch.impression[from];
                        }
                        if (acc.expert != null) {
                            acc.expert[k * pw * ph + dst] += wgt * batch.expert[from];
                        }
                    }
                }
            }
        }
    }
}
