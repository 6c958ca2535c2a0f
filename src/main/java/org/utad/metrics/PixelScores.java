package org.utad.metrics;

import java.util.Arrays;
import org.utad.core.ConnectedComponents;
import org.utad.core.InvalidInputException;

/**
 * The pixel scores of many images, split by ground truth, kept once for the pixel metrics.
 *
 * <p>Normal pixels cost 4 bytes each (their score). Anomalous pixels cost 4 bytes each when only
 * AUROC is needed, or 8 bytes when regions are tracked for AUPRO (the score packed with the index
 * of its ground-truth region, see {@link #key(float, int)}), plus 4 bytes per region for its area.
 * Sorting happens once, when a {@link #snapshot()} is taken, and briefly needs a second copy.
 */
final class PixelScores {
    private final boolean trackRegions;
    private final FloatStore negatives = new FloatStore();
    private final FloatStore positives;
    private final LongStore positiveKeys;
    private int[] areas = new int[16];
    private int regionCount;
    private int images;

    /**
     * @param trackRegions whether to label ground-truth regions (needed for AUPRO, and then
     *                     {@link #add} needs the image size)
     */
    PixelScores(boolean trackRegions) {
        this.trackRegions = trackRegions;
        this.positives = trackRegions ? null : new FloatStore();
        this.positiveKeys = trackRegions ? new LongStore() : null;
    }

    /**
     * Adds one image's map and mask. The image is checked completely before anything is stored,
     * so a rejected image leaves the scores unchanged.
     *
     * @param map    row-major anomaly map
     * @param mask   row-major ground truth of the same size, true for anomalous; null when the
     *               image has no anomalous pixels
     * @param width  image width; used only when regions are tracked
     * @param height image height; used only when regions are tracked
     * @param image  how to name the image in messages
     */
    void add(float[] map, boolean[] mask, int width, int height, String image) {
        check(map, mask, width, height, image);
        int[] labels = null;
        int firstRegion = regionCount;
        if (trackRegions && mask != null) {
            ConnectedComponents.Labeling labeling = ConnectedComponents.label(mask, width, height);
            labels = labeling.labels();
            int[] imageAreas = labeling.areas();
            if (regionCount + labeling.count() > areas.length) {
                areas = Arrays.copyOf(areas, Math.max(2 * areas.length, regionCount + labeling.count()));
            }
            System.arraycopy(imageAreas, 1, areas, regionCount, labeling.count());
            regionCount += labeling.count();
        }
        for (int i = 0; i < map.length; i++) {
            float score = map[i] + 0.0f;
            if (mask == null || !mask[i]) {
                negatives.add(score);
            } else if (labels == null) {
                positives.add(score);
            } else {
                positiveKeys.add(key(score, firstRegion + labels[i] - 1));
            }
        }
        images++;
    }

    private void check(float[] map, boolean[] mask, int width, int height, String image) {
        if (map == null) {
            throw new InvalidInputException("The anomaly map of " + image + " is missing");
        }
        if (mask != null && mask.length != map.length) {
            throw new InvalidInputException("The mask of " + image + " has " + mask.length
                    + " pixels but its anomaly map has " + map.length
                    + "; masks must have the size of the image they belong to");
        }
        if (trackRegions && (width < 1 || height < 1 || (long) width * height != map.length)) {
            throw new InvalidInputException("The anomaly map of " + image + " has " + map.length
                    + " pixels, which does not match its size " + width + "x" + height);
        }
        for (int i = 0; i < map.length; i++) {
            if (Float.isNaN(map[i])) {
                String where = trackRegions ? " at (" + (i % width) + ", " + (i / width) + ")"
                        : " at pixel " + i;
                throw new InvalidInputException("The anomaly map of " + image + " has NaN" + where
                        + "; metrics need a number for every pixel");
            }
        }
    }

    /** @return number of images added */
    int images() {
        return images;
    }

    /** @return number of normal pixels added */
    long negativeCount() {
        return negatives.size();
    }

    /** @return number of anomalous pixels added */
    long positiveCount() {
        return trackRegions ? positiveKeys.size() : positives.size();
    }

    /** @return number of ground-truth regions seen (0 when regions are not tracked) */
    int regionCount() {
        return regionCount;
    }

    /**
     * Sorts what was added and returns it as a run for {@link RankWalk}. The arrays are shared
     * with this store and stay valid until the next {@link #add}.
     *
     * @return the sorted scores
     */
    RankWalk.Run snapshot() {
        if (trackRegions) {
            return new RankWalk.Run(negatives.sorted(), null, positiveKeys.sorted(), areas, regionCount);
        }
        return new RankWalk.Run(negatives.sorted(), positives.sorted(), null, null, 0);
    }

    /**
     * Packs a score and a region index into a long whose signed order is the score's order, so
     * that one primitive sort orders anomalous pixels by score without an index array.
     *
     * @param score  a score, not NaN, with -0 already turned into +0
     * @param region a non-negative region index
     * @return the packed key
     */
    static long key(float score, int region) {
        return ((long) sortable(score) << 32) | region;
    }

    /**
     * @param key a key made by {@link #key(float, int)}
     * @return its score
     */
    static float keyScore(long key) {
        return Float.intBitsToFloat(flip((int) (key >> 32)));
    }

    /**
     * @param key a key made by {@link #key(float, int)}
     * @return its region index
     */
    static int keyRegion(long key) {
        return (int) key;
    }

    /**
     * Maps float bits to an int whose signed order is the float order (and back: the map is its
     * own inverse), by flipping the magnitude bits of negative numbers.
     */
    private static int sortable(float score) {
        return flip(Float.floatToIntBits(score));
    }

    private static int flip(int bits) {
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }
}
