package org.utad.infer;

import java.util.ArrayList;
import java.util.List;
import org.utad.data.Resample;

/**
 * The per-pixel outputs of a batch of tiles or of a whole image: the fused map, and with
 * intermediates the impression, the expert reconstruction and the random-code variance. Parts that
 * were not asked for are null and stay null through every operation here.
 */
final class Maps {
    final float[] map;
    final float[] impression;
    final float[] expert;
    final float[] variance;

    Maps(float[] map, float[] impression, float[] expert, float[] variance) {
        this.map = map;
        this.impression = impression;
        this.expert = expert;
        this.variance = variance;
    }

    /** Joins the maps of consecutive batches, in order; absent parts stay absent. */
    static Maps concat(List<Maps> parts) {
        return new Maps(join(parts, 0), join(parts, 1), join(parts, 2), join(parts, 3));
    }

    private static float[] join(List<Maps> parts, int which) {
        List<float[]> arrays = new ArrayList<>();
        for (Maps m : parts) {
            arrays.add(which == 0 ? m.map : which == 1 ? m.impression : which == 2 ? m.expert : m.variance);
        }
        if (arrays.get(0) == null) {
            return null;
        }
        float[] out = new float[arrays.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (float[] a : arrays) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    /** Scales maps of the model size s1 x s2 back to the image's w x h (resize mode). */
    Maps resized(int w, int h, int c, int s1, int s2) {
        return new Maps(Resample.resize(map, s1, s2, 1, w, h),
                impression == null ? null : Resample.resize(impression, s1, s2, c, w, h),
                expert == null ? null : Resample.resize(expert, s1, s2, c, w, h),
                variance == null ? null : Resample.resize(variance, s1, s2, 1, w, h));
    }

    /** Cuts the image's w x h out of maps of the padded pw x ph (small images in patch mode). */
    Maps cropped(int w, int h, int c, int pw, int ph) {
        return new Maps(crop(map, 1, pw, ph, w, h), crop(impression, c, pw, ph, w, h),
                crop(expert, c, pw, ph, w, h), crop(variance, 1, pw, ph, w, h));
    }

    private static float[] crop(float[] src, int c, int pw, int ph, int w, int h) {
        if (src == null) {
            return null;
        }
        float[] out = new float[c * w * h];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(src, k * pw * ph + y * pw, out, k * w * h + y * w, w);
            }
        }
        return out;
    }
}
