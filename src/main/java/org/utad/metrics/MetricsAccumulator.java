package org.utad.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;

/**
 * Collects the results of a test split one image at a time and evaluates them as the benchmark
 * protocol asks: image AUROC, pixel AUROC, AUPRO, image F1-max and F1 at the calibrated threshold,
 * over all test images and per defect type.
 *
 * <p>Each defect type is evaluated together with all good images, as MVTec AD does, so that its
 * numbers say how well that kind of defect is told apart from normal. Good images are those added
 * with {@code anomalous = false}; their defect type is ignored. Pixel metrics use the images that
 * have an anomaly map and, for defective images, a mask (a good image without a mask has no
 * anomalous pixels); a defect type without any mask gets NaN pixel metrics, and defective images
 * without a mask are left out of the overall pixel metrics.
 *
 * <p>Memory: the pixel scores of each group (good images, each defect type) are kept once, about
 * 4 bytes per normal pixel and 8 per anomalous pixel; evaluating sorts them in place, which briefly
 * needs a second copy of one group. About 100 million test pixels fit a 4 GB heap.
 */
public final class MetricsAccumulator {
    /** The name of the report over all test images. */
    public static final String OVERALL = "all";

    private final float calibratedThreshold;
    private final double maxFpr;
    private final Group good = new Group(false);
    private final Map<String, Group> defects = new TreeMap<>();
    private int images;

    /** Creates an accumulator with AUPRO up to FPR 0.3 and no calibrated threshold. */
    public MetricsAccumulator() {
        this(Float.NaN, Aupro.DEFAULT_MAX_FPR);
    }

    /**
     * Creates an accumulator.
     *
     * @param calibratedThreshold the image-score threshold the model calibrated on normal images
     *                            alone, for F1 at that threshold; NaN if there is none
     * @param maxFpr              the FPR limit of AUPRO, in (0, 1], usually 0.3
     * @throws InvalidInputException if the limit is outside (0, 1]
     */
    public MetricsAccumulator(float calibratedThreshold, double maxFpr) {
        this.calibratedThreshold = calibratedThreshold;
        this.maxFpr = Aupro.checkMaxFpr(maxFpr);
    }

    /**
     * Adds one test image with its anomaly map.
     *
     * @param defectType the defect type of a defective image (e.g. "crack"); ignored for good images
     * @param imageScore the image's anomaly score; NaN is rejected
     * @param map        the anomaly map at the image's size, row-major; null when there is none
     * @param mask       the ground-truth mask at the image's size, true for anomalous; null when
     *                   there is none (a good image then has no anomalous pixels, a defective one
     *                   is left out of the pixel metrics)
     * @param width      image width (used with a map)
     * @param height     image height (used with a map)
     * @param anomalous  whether the image is defective
     * @throws InvalidInputException if the score or map holds NaN, sizes disagree, a defective image
     *         has no defect type, or a good image's mask marks anomalous pixels; nothing of that
     *         image is then added
     */
    public void add(String defectType, float imageScore, float[] map, boolean[] mask, int width, int height,
                    boolean anomalous) {
        String image = "test image " + (images + 1) + (anomalous ? " (" + defectType + ")" : " (good)");
        if (Float.isNaN(imageScore)) {
            throw new InvalidInputException("The image score of " + image + " is NaN; every image needs a score");
        }
        Group group;
        if (anomalous) {
            if (defectType == null || defectType.isBlank()) {
                throw new InvalidInputException("Defective " + image + " needs a defect type");
            }
            group = defects.computeIfAbsent(defectType, t -> new Group(true));
        } else {
            group = good;
            if (mask != null) {
                for (int i = 0; i < mask.length; i++) {
                    if (mask[i]) {
                        throw new InvalidInputException("The mask of " + image + " marks pixel ("
                                + (width > 0 ? i % width + ", " + i / width : i) + ") anomalous, but the image"
                                + " is labelled good; check the labels or the mask");
                    }
                }
            }
        }
        if (map != null && (mask != null || !anomalous)) {
            group.pixels.add(map, mask, width, height, image);
        }
        group.addScore(imageScore);
        images++;
    }

    /**
     * Adds one test image with its anomaly map as an image, whose size is used.
     *
     * @param defectType the defect type of a defective image; ignored for good images
     * @param imageScore the image's anomaly score; NaN is rejected
     * @param map        a one-channel anomaly map, or null
     * @param mask       the ground-truth mask at the map's size, or null
     * @param anomalous  whether the image is defective
     * @throws InvalidInputException as {@link #add(String, float, float[], boolean[], int, int, boolean)},
     *         or if the map has more than one channel
     */
    public void add(String defectType, float imageScore, FloatImage map, boolean[] mask, boolean anomalous) {
        if (map != null && map.channels() != 1) {
            throw new InvalidInputException("An anomaly map must have one channel, got " + map.channels());
        }
        add(defectType, imageScore, map == null ? null : map.data(), mask, map == null ? 0 : map.width(),
                map == null ? 0 : map.height(), anomalous);
    }

    /**
     * Adds one test image without a map, for image-level metrics only.
     *
     * @param defectType the defect type of a defective image; ignored for good images
     * @param imageScore the image's anomaly score; NaN is rejected
     * @param anomalous  whether the image is defective
     * @throws InvalidInputException if the score is NaN or a defective image has no defect type
     */
    public void add(String defectType, float imageScore, boolean anomalous) {
        add(defectType, imageScore, null, null, 0, 0, anomalous);
    }

    /** @return number of test images added */
    public int images() {
        return images;
    }

    /**
     * Evaluates everything added so far; more images may be added and evaluated again later.
     *
     * @return the overall report and one report per defect type
     * @throws InvalidInputException if no image was added
     */
    public Evaluation evaluate() {
        if (images == 0) {
            throw new InvalidInputException("No test images were added; nothing to evaluate");
        }
        List<Group> all = new ArrayList<>();
        all.add(good);
        all.addAll(defects.values());
        EvaluationReport overall = report(OVERALL, all);
        TreeMap<String, EvaluationReport> byType = new TreeMap<>();
        for (Map.Entry<String, Group> e : defects.entrySet()) {
            byType.put(e.getKey(), report(e.getKey(), List.of(good, e.getValue())));
        }
        return new Evaluation(overall, byType);
    }

    /**
     * The overall pixel ROC and PRO curves of everything added so far, for plots. Consecutive points
     * closer than 1/{@code resolution} in both FPR and TPR (and PRO) are merged, so a curve has at
     * most about {@code 3 * resolution} points whatever the number of pixels; the first point is
     * (0, 0) and the last one is the lowest threshold.
     *
     * @param resolution the finest step kept, e.g. 1000 for a plot a few hundred pixels wide
     * @return the curves, or null when no image had both a map and normal or anomalous pixels
     * @throws IllegalArgumentException if the resolution is not positive
     */
    public PixelCurves pixelCurves(int resolution) {
        if (resolution <= 0) {
            throw new IllegalArgumentException("The curve resolution must be positive, got " + resolution);
        }
        List<RankWalk.Run> runs = new ArrayList<>();
        runs.add(good.pixels.snapshot());
        for (Group g : defects.values()) {
            runs.add(g.pixels.snapshot());
        }
        long negatives = 0;
        long positives = 0;
        for (RankWalk.Run r : runs) {
            negatives += r.negatives().length;
            positives += r.positiveCount();
        }
        if (negatives == 0 || positives == 0) {
            return null;
        }
        boolean withPro = runs.stream().anyMatch(r -> r.regionCount() > 0);
        double step = 1.0 / resolution;
        double[][] xs = {new double[256], new double[256], new double[256]};
        xs[2][0] = withPro ? 0 : Double.NaN;
        int[] n = {1};
        long totalNeg = negatives;
        long totalPos = positives;
        RankWalk.walk(runs, Double.NaN, (threshold, tp, fp, pro) -> {
            double f = (double) fp / totalNeg;
            double t = (double) tp / totalPos;
            int at = n[0];
            boolean end = tp == totalPos && fp == totalNeg;
            if (!end && f - xs[0][at - 1] < step && t - xs[1][at - 1] < step && !(pro - xs[2][at - 1] >= step)) {
                return;
            }
            if (at == xs[0].length) {
                for (int i = 0; i < 3; i++) {
                    xs[i] = Arrays.copyOf(xs[i], 2 * at);
                }
            }
            xs[0][at] = f;
            xs[1][at] = t;
            xs[2][at] = pro;
            n[0] = at + 1;
        });
        double[] pro = Arrays.copyOf(xs[2], n[0]);
        return new PixelCurves(Arrays.copyOf(xs[0], n[0]), Arrays.copyOf(xs[1], n[0]), pro);
    }

    private EvaluationReport report(String name, List<Group> groups) {
        int n = 0;
        int normal = 0;
        int pixelImages = 0;
        List<RankWalk.Run> runs = new ArrayList<>();
        for (Group g : groups) {
            n += g.size;
            normal += g.anomalous ? 0 : g.size;
            pixelImages += g.pixels.images();
            runs.add(g.pixels.snapshot());
        }
        float[] scores = new float[n];
        boolean[] labels = new boolean[n];
        int at = 0;
        for (Group g : groups) {
            System.arraycopy(g.scores, 0, scores, at, g.size);
            Arrays.fill(labels, at, at + g.size, g.anomalous);
            at += g.size;
        }
        int anomalous = n - normal;
        double imageAuroc = normal > 0 && anomalous > 0 ? Roc.auroc(scores, labels) : Double.NaN;
        F1.Score best = anomalous > 0 ? F1.max(scores, labels) : null;
        F1.Score calibrated = anomalous > 0 && !Float.isNaN(calibratedThreshold)
                ? F1.at(scores, labels, calibratedThreshold) : null;
        RankWalk.Result pixels = RankWalk.walk(runs, maxFpr, null);
        return new EvaluationReport(name, n, normal, anomalous, pixelImages, pixels.negatives(),
                pixels.positives(), pixels.regions(), imageAuroc, pixels.auroc(), pixels.aupro(), maxFpr,
                best == null ? Double.NaN : best.f1(), best == null ? Float.NaN : best.threshold(),
                best == null ? Double.NaN : best.precision(), best == null ? Double.NaN : best.recall(),
                calibratedThreshold, calibrated == null ? Double.NaN : calibrated.f1(),
                calibrated == null ? Double.NaN : calibrated.precision(),
                calibrated == null ? Double.NaN : calibrated.recall());
    }

    /** The images of one group (the good images, or one defect type). */
    private static final class Group {
        private final boolean anomalous;
        private final PixelScores pixels = new PixelScores(true);
        private float[] scores = new float[64];
        private int size;

        Group(boolean anomalous) {
            this.anomalous = anomalous;
        }

        void addScore(float score) {
            if (size == scores.length) {
                scores = Arrays.copyOf(scores, 2 * size);
            }
            scores[size++] = score;
        }
    }
}
