package org.utad.data;

/**
 * Image resampling for bringing images to the model size and maps back to the image size.
 *
 * <p>Down-scaling averages over the source footprint (a triangle filter widened by the scale
 * factor), so that fine texture does not alias into false structure; up-scaling is bilinear. Works
 * on planar multi-channel arrays as {@link org.utad.core.FloatImage} stores them.
 */
public final class Resample {
    private Resample() {
    }

    /**
     * Extends a planar image to a larger size by mirroring it at its edges (without repeating the
     * edge pixel), so that networks of a fixed input size can see an image smaller than that size.
     * Detection pads images smaller than a tile this way, and patch-mode training pads images
     * smaller than a patch the same way, so both see the same kind of border.
     *
     * @param src planar samples, {@code c * w * h}
     * @param w   source width
     * @param h   source height
     * @param c   number of channels
     * @param pw  padded width, at least {@code w}
     * @param ph  padded height, at least {@code h}
     * @return planar samples of {@code c * pw * ph}; the source occupies the top-left corner
     */
    public static float[] reflectPad(float[] src, int w, int h, int c, int pw, int ph) {
        if (pw < w || ph < h) {
            throw new IllegalArgumentException("Padding cannot shrink a " + w + "x" + h + " image to " + pw + "x" + ph);
        }
        float[] out = new float[c * pw * ph];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < ph; y++) {
                int sy = reflect(y, h);
                for (int x = 0; x < pw; x++) {
                    out[k * pw * ph + y * pw + x] = src[k * w * h + sy * w + reflect(x, w)];
                }
            }
        }
        return out;
    }

    private static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = i % period;
        return m < n ? m : period - m;
    }

    /**
     * Resamples a planar image.
     *
     * @param src      planar samples, {@code channels * w * h}
     * @param w        source width
     * @param h        source height
     * @param channels number of channels
     * @param nw       target width
     * @param nh       target height
     * @return planar samples of the target size
     */
    public static float[] resize(float[] src, int w, int h, int channels, int nw, int nh) {
        if (w == nw && h == nh) {
            return src.clone();
        }
        Weights wx = weights(w, nw);
        Weights wy = weights(h, nh);
        float[] out = new float[channels * nw * nh];
        float[] tmp = new float[nw * h];
        for (int c = 0; c < channels; c++) {
            int so = c * w * h;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < nw; x++) {
                    double acc = 0;
                    int start = wx.start[x];
                    for (int k = 0; k < wx.count[x]; k++) {
                        acc += wx.w[x][k] * src[so + y * w + start + k];
                    }
                    tmp[y * nw + x] = (float) acc;
                }
            }
            int oo = c * nw * nh;
            for (int y = 0; y < nh; y++) {
                int start = wy.start[y];
                for (int x = 0; x < nw; x++) {
                    double acc = 0;
                    for (int k = 0; k < wy.count[y]; k++) {
                        acc += wy.w[y][k] * tmp[(start + k) * nw + x];
                    }
                    out[oo + y * nw + x] = (float) acc;
                }
            }
        }
        return out;
    }

    private static final class Weights {
        final int[] start;
        final int[] count;
        final double[][] w;

        Weights(int n) {
            start = new int[n];
            count = new int[n];
            w = new double[n][];
        }
    }

    private static Weights weights(int in, int out) {
        double scale = (double) in / out;
        double support = Math.max(1.0, scale);
        Weights res = new Weights(out);
        for (int i = 0; i < out; i++) {
            double center = (i + 0.5) * scale - 0.5;
            int lo = (int) Math.floor(center - support);
            int hi = (int) Math.ceil(center + support);
            lo = Math.max(lo, 0);
            hi = Math.min(hi, in - 1);
            double[] ws = new double[hi - lo + 1];
            double sum = 0;
            for (int j = lo; j <= hi; j++) {
                double d = Math.abs(j - center) / support;
                double v = d < 1 ? 1 - d : 0;
                ws[j - lo] = v;
                sum += v;
            }
            if (sum <= 0) {
                int nearest = (int) Math.min(in - 1, Math.max(0, Math.round(center)));
                lo = nearest;
                ws = new double[] {1};
                sum = 1;
            }
            for (int k = 0; k < ws.length; k++) {
                ws[k] /= sum;
            }
            res.start[i] = lo;
            res.count[i] = ws.length;
            res.w[i] = ws;
        }
        return res;
    }
}
