package org.utad.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Labels the 8-connected regions of a binary mask and measures them.
 *
 * <p>Used by the evaluation (per-region overlap needs the ground-truth regions) and at detection
 * time to report anomalous regions of a thresholded map. Two pixels belong to the same region when
 * they touch by an edge or a corner (8-connectivity), as in MVTec AD's evaluation.
 *
 * <p>The labelling is iterative (a breadth-first flood fill with a growable int queue), so it never
 * overflows the call stack, and runs in time linear in the number of pixels: a 4096 x 4096 mask
 * needs the {@code int} label array (64 MiB) plus a queue no larger than the largest region.
 */
public final class ConnectedComponents {

    private ConnectedComponents() {
    }

    /**
     * One labelled region with its bounding box, area, peak score and centroid.
     *
     * @param label     the region's label in {@link Labeling#labels()}, from 1
     * @param x         left column of the bounding box
     * @param y         top row of the bounding box
     * @param width     width of the bounding box in pixels
     * @param height    height of the bounding box in pixels
     * @param area      number of pixels in the region
     * @param peak      the largest score map value over the region (NaN values in the map are
     *                  skipped), or NaN when no score map was given
     * @param centroidX mean column of the region's pixels
     * @param centroidY mean row of the region's pixels
     */
    public record Region(int label, int x, int y, int width, int height, int area, float peak,
                         double centroidX, double centroidY) {
    }

    /**
     * Labels the 8-connected regions of a mask.
     *
     * <p>Labels are numbered 1, 2, ... in the order in which a row-major scan first meets each
     * region; 0 is background.
     *
     * @param mask   row-major mask, {@code mask[y * width + x]}, true for foreground
     * @param width  mask width, at least 1
     * @param height mask height, at least 1
     * @return the labelling
     * @throws IllegalArgumentException if the mask is null or its length is not width x height
     */
    public static Labeling label(boolean[] mask, int width, int height) {
        Objects.requireNonNull(mask, "mask");
        checkSize(mask.length, width, height, "Mask");
        int n = mask.length;
        int[] labels = new int[n];
        int[] queue = new int[Math.min(n, 1024)];
        int next = 0;
        for (int start = 0; start < n; start++) {
            if (!mask[start] || labels[start] != 0) {
                continue;
            }
            int label = ++next;
            labels[start] = label;
            queue[0] = start;
            int head = 0;
            int tail = 1;
            while (head < tail) {
                int p = queue[head++];
                int px = p % width;
                int py = p / width;
                int x0 = px > 0 ? px - 1 : px;
                int x1 = px < width - 1 ? px + 1 : px;
                int y0 = py > 0 ? py - 1 : py;
                int y1 = py < height - 1 ? py + 1 : py;
                for (int yy = y0; yy <= y1; yy++) {
                    int row = yy * width;
                    for (int xx = x0; xx <= x1; xx++) {
                        int q = row + xx;
                        if (mask[q] && labels[q] == 0) {
                            labels[q] = label;
                            if (tail == queue.length) {
                                queue = grow(queue, head, tail, n);
                                tail -= head;
                                head = 0;
                            }
                            queue[tail++] = q;
                        }
                    }
                }
            }
        }
        return new Labeling(labels, width, height, next);
    }

    /**
     * Makes room in the queue: drops the consumed head and doubles the capacity when needed.
     */
    private static int[] grow(int[] queue, int head, int tail, int limit) {
        int live = tail - head;
        int capacity = live < queue.length / 2 ? queue.length
                : (int) Math.min((long) limit, 2L * queue.length);
        int[] grown = capacity == queue.length ? queue : new int[capacity];
        System.arraycopy(queue, head, grown, 0, live);
        return grown;
    }

    private static void checkSize(int length, int width, int height, String what) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    what + " dimensions must be positive, got " + width + "x" + height);
        }
        if ((long) width * height != length) {
            throw new IllegalArgumentException(what + " has " + length + " pixels but " + width + "x"
                    + height + " needs " + ((long) width * height));
        }
    }

    /**
     * The result of {@link #label(boolean[], int, int)}: a label per pixel and the region count.
     */
    public static final class Labeling {
        private final int[] labels;
        private final int width;
        private final int height;
        private final int count;

        private Labeling(int[] labels, int width, int height, int count) {
            this.labels = labels;
            this.width = width;
            this.height = height;
            this.count = count;
        }

        /** @return mask width in pixels */
        public int width() {
            return width;
        }

        /** @return mask height in pixels */
        public int height() {
            return height;
        }

        /** @return number of regions; labels run from 1 to this count */
        public int count() {
            return count;
        }

        /**
         * The label of every pixel, row-major; 0 is background. Not copied, so that large masks are
         * not duplicated.
         *
         * @return the backing label array; do not modify it
         */
        public int[] labels() {
            return labels;
        }

        /**
         * Reads one pixel's label.
         *
         * @param x column
         * @param y row
         * @return the label at (x, y), 0 for background
         */
        public int labelAt(int x, int y) {
            return labels[y * width + x];
        }

        /**
         * Counts the pixels of every region, the cheapest measurement, which the per-region overlap
         * metric needs for every ground-truth region.
         *
         * @return an array of length {@code count() + 1}: element {@code k} is the area of region k,
         *         element 0 the number of background pixels
         */
        public int[] areas() {
            int[] areas = new int[count + 1];
            for (int label : labels) {
                areas[label]++;
            }
            return areas;
        }

        /**
         * Measures every region in one pass over the labels.
         *
         * @param scoreMapOrNull a row-major map of the same size whose maximum over each region is
         *                       reported as its peak; null to leave peaks NaN
         * @return the regions in label order (element {@code k} has label {@code k + 1})
         * @throws IllegalArgumentException if the map's size differs from the mask's
         */
        public List<Region> regions(float[] scoreMapOrNull) {
            if (scoreMapOrNull != null && scoreMapOrNull.length != labels.length) {
                throw new IllegalArgumentException("Score map has " + scoreMapOrNull.length
                        + " pixels but the mask has " + labels.length);
            }
            int[] minX = new int[count + 1];
            int[] minY = new int[count + 1];
            int[] maxX = new int[count + 1];
            int[] maxY = new int[count + 1];
            int[] area = new int[count + 1];
            double[] sumX = new double[count + 1];
            double[] sumY = new double[count + 1];
            float[] peak = new float[count + 1];
            Arrays.fill(minX, Integer.MAX_VALUE);
            Arrays.fill(minY, Integer.MAX_VALUE);
            Arrays.fill(maxX, -1);
            Arrays.fill(maxY, -1);
            Arrays.fill(peak, Float.NaN);
            for (int y = 0, i = 0; y < height; y++) {
                for (int x = 0; x < width; x++, i++) {
                    int k = labels[i];
                    if (k == 0) {
                        continue;
                    }
                    if (x < minX[k]) {
                        minX[k] = x;
                    }
                    if (x > maxX[k]) {
                        maxX[k] = x;
                    }
                    if (y < minY[k]) {
                        minY[k] = y;
                    }
                    if (y > maxY[k]) {
                        maxY[k] = y;
                    }
                    area[k]++;
                    sumX[k] += x;
                    sumY[k] += y;
                    if (scoreMapOrNull != null) {
                        float v = scoreMapOrNull[i];
                        if (Float.isNaN(peak[k]) || v > peak[k]) {
                            peak[k] = v;
                        }
                    }
                }
            }
            List<Region> regions = new ArrayList<>(count);
            for (int k = 1; k <= count; k++) {
                regions.add(new Region(k, minX[k], minY[k], maxX[k] - minX[k] + 1,
                        maxY[k] - minY[k] + 1, area[k], peak[k], sumX[k] / area[k], sumY[k] / area[k]));
            }
            return Collections.unmodifiableList(regions);
        }

        /**
         * Drops regions smaller than a minimum area, so that isolated noisy pixels of a thresholded
         * map are not reported as defects. The kept regions are renumbered 1, 2, ... in their
         * original order.
         *
         * @param minArea the smallest area kept, in pixels; values of 1 or less keep every region
         * @return a new labelling (this one is unchanged), or this one when nothing is dropped
         */
        public Labeling withMinArea(int minArea) {
            int[] areas = areas();
            int[] renumber = new int[count + 1];
            int kept = 0;
            for (int k = 1; k <= count; k++) {
                if (areas[k] >= minArea) {
                    renumber[k] = ++kept;
                }
            }
            if (kept == count) {
                return this;
            }
            int[] filtered = new int[labels.length];
            for (int i = 0; i < labels.length; i++) {
                filtered[i] = renumber[labels[i]];
            }
            return new Labeling(filtered, width, height, kept);
        }

        /**
         * The foreground of this labelling as a mask, e.g. to save a cleaned-up defect mask after
         * {@link #withMinArea(int)}.
         *
         * @return a new row-major mask, true where the label is not 0
         */
        public boolean[] mask() {
            boolean[] mask = new boolean[labels.length];
            for (int i = 0; i < labels.length; i++) {
                mask[i] = labels[i] != 0;
            }
            return mask;
        }
    }
}
