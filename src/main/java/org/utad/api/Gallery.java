package org.utad.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.utad.core.FloatImage;
import org.utad.data.DefectDataset;
import org.utad.data.Resample;

/**
 * Picks, while an evaluation streams through the test images, the few highest- and lowest-scoring
 * images of each test folder, and keeps small copies of them for {@link EvaluationFigures#gallery}.
 * Only the picked images are kept (as thumbnails), so a gallery costs a few kilobytes whatever the
 * size of the test set.
 *
 * <p>For a defect type the highest scores are the best cases (found) and the lowest the worst
 * (missed); for the good images it is the other way round (the highest are false alarms).
 */
final class Gallery {
    /** Height of a gallery row in pixels. */
    static final int ROW_HEIGHT = 128;
    /** Widest a gallery column may be, in pixels. */
    static final int MAX_WIDTH = 256;

    private record Entry(double score, String name, EvaluationFigures.Case thumbnail) {
    }

    private final int perEnd;
    private final Map<String, List<Entry>> highest = new LinkedHashMap<>();
    private final Map<String, List<Entry>> lowest = new LinkedHashMap<>();

    /**
     * @param perEnd how many of the highest and of the lowest scores to keep per folder
     */
    Gallery(int perEnd) {
        this.perEnd = perEnd;
    }

    /**
     * Offers one scored test image; its thumbnails are made only if it ranks among the kept ones.
     *
     * @param type  the test folder ("good" or a defect type)
     * @param name  the file name
     * @param score the image score
     * @param input the test image
     * @param map   its anomaly map
     * @param truth its ground-truth mask, or null
     * @param mask  the predicted mask, or null
     */
    void offer(String type, String name, double score, FloatImage input, FloatImage map, boolean[] truth,
               boolean[] mask) {
        List<Entry> hi = highest.computeIfAbsent(type, t -> new ArrayList<>());
        List<Entry> lo = lowest.computeIfAbsent(type, t -> new ArrayList<>());
        boolean toHi = hi.size() < perEnd || score > hi.get(hi.size() - 1).score();
        boolean toLo = lo.size() < perEnd || score < lo.get(lo.size() - 1).score();
        if (!toHi && !toLo) {
            return;
        }
        Entry e = new Entry(score, name, thumbnail(name, score, input, map, truth, mask));
        if (toHi) {
            insert(hi, e, Comparator.comparingDouble(Entry::score).reversed());
        }
        if (toLo) {
            insert(lo, e, Comparator.comparingDouble(Entry::score));
        }
    }

    private void insert(List<Entry> list, Entry e, Comparator<Entry> order) {
        list.add(e);
        list.sort(order);
        if (list.size() > perEnd) {
            list.remove(list.size() - 1);
        }
    }

    /** @return the folders seen, in the order first offered */
    List<String> types() {
        return new ArrayList<>(highest.keySet());
    }

    /**
     * The rows of one folder's gallery: best cases first, then worst, each image once.
     *
     * @param type the folder
     * @return the rows, labelled with their role
     */
    List<EvaluationFigures.Case> rows(String type) {
        boolean good = DefectDataset.isNormal(type);
        List<Entry> best = good ? lowest.get(type) : highest.get(type);
        List<Entry> worst = good ? highest.get(type) : lowest.get(type);
        List<EvaluationFigures.Case> rows = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (Entry e : best) {
            rows.add(relabel(e, good ? "best (lowest score)" : "best (highest score)"));
            shown.add(e.name());
        }
        for (Entry e : worst) {
            if (!shown.contains(e.name())) {
                rows.add(relabel(e, good ? "worst (false alarm risk: highest score)" : "worst (lowest score)"));
            }
        }
        return rows;
    }

    /** @return the largest map value among all kept thumbnails, for one colour scale across galleries */
    double heatMax() {
        double max = 0;
        for (List<Entry> list : java.util.stream.Stream.concat(highest.values().stream(), lowest.values().stream())
                .toList()) {
            for (Entry e : list) {
                for (float v : e.thumbnail().heatmap().data()) {
                    if (v > max) {
                        max = v;
                    }
                }
            }
        }
        return max > 0 ? max : 1;
    }

    private static EvaluationFigures.Case relabel(Entry e, String role) {
        EvaluationFigures.Case c = e.thumbnail();
        return new EvaluationFigures.Case(role + ": " + c.label(), c.input(), c.heatmap(), c.truth(), c.mask());
    }

    private static EvaluationFigures.Case thumbnail(String name, double score, FloatImage input, FloatImage map,
                                                    boolean[] truth, boolean[] mask) {
        int w = input.width();
        int h = input.height();
        int th = Math.min(ROW_HEIGHT, h);
        int tw = Math.max(1, (int) Math.round((double) w * th / h));
        if (tw > MAX_WIDTH) {
            th = Math.max(1, (int) Math.round((double) th * MAX_WIDTH / tw));
            tw = MAX_WIDTH;
        }
        float[] grey = new float[input.planeSize()];
        float[] d = input.data();
        int c = input.channels();
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < grey.length; i++) {
                grey[i] += d[ch * grey.length + i] / c;
            }
        }
        FloatImage in = small(grey, w, h, tw, th, false);
        FloatImage heat = small(map.data(), w, h, tw, th, false);
        return new EvaluationFigures.Case(String.format(Locale.ROOT, "%s  score %.4g", name, score), in, heat,
                truth == null ? null : small(binary(truth), w, h, tw, th, true),
                mask == null ? null : small(binary(mask), w, h, tw, th, true));
    }

    private static float[] binary(boolean[] m) {
        float[] f = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            f[i] = m[i] ? 1 : 0;
        }
        return f;
    }

    /** Shrinks one plane; a shrunk mask marks every pixel its footprint touched, so specks stay visible. */
    private static FloatImage small(float[] plane, int w, int h, int tw, int th, boolean isMask) {
        float[] s = Resample.resize(plane, w, h, 1, tw, th);
        if (isMask) {
            for (int i = 0; i < s.length; i++) {
                s[i] = s[i] > 0 ? 1 : 0;
            }
        }
        return FloatImage.of(tw, th, 1, s);
    }
}
