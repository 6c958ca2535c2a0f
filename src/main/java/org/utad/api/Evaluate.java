package org.utad.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.utad.config.Thresholds;
import org.utad.core.CancellationToken;
import org.utad.core.FloatImage;
import org.utad.core.ImageLoader;
import org.utad.core.InvalidInputException;
import org.utad.core.ProgressEvent;
import org.utad.core.ProgressListener;
import org.utad.data.DefectDataset;
import org.utad.data.ImageFolder;
import org.utad.infer.DetectOptions;
import org.utad.infer.DetectionResult;
import org.utad.infer.Detector;
import org.utad.metrics.Evaluation;
import org.utad.metrics.MetricsAccumulator;
import org.utad.metrics.PixelCurves;
import org.utad.metrics.Roc;

/**
 * Measures a model on labelled data in the MVTec-AD layout ({@link DefectDataset}): {@code test/good/*}
 * are normal, {@code test/<defect>/*} anomalous, with masks at {@code ground_truth/<defect>/<stem>_mask.png}
 * (images without a mask count for image-level metrics only; {@code train/} is ignored).
 *
 * <p>Writes {@code metrics.json} and {@code metrics.csv} (overall and per defect type: image
 * AUROC, pixel AUROC, AUPRO at FPR 0.3, F1-max and F1 at the calibrated threshold),
 * {@code image_scores.csv} (one row per image), {@code roc.csv} (the image-level ROC curve) and,
 * when the scorer gives maps, {@code pixel_curves.csv} (pixel ROC and PRO curves). With a
 * {@link EvaluationFigures} it also draws {@code roc.png} (image and pixel ROC), {@code pro.png}
 * (the PRO curve up to the AUPRO limit) and one {@code gallery_<folder>.png} per test folder with
 * the best and worst few images (input | heatmap | ground truth | predicted mask), so a user sees
 * what the numbers mean. Images are processed one at a time so large test sets fit in memory.
 */
public final class Evaluate {
    /**
     * What the caller gets back.
     *
     * @param evaluation the metrics
     * @param output     the folder the tables were written to
     * @param images     number of test images
     * @param seconds    wall time
     * @param figures    the figures this run drew, in the order to show them (ROC, PRO, then one
     *                   gallery per test folder); empty when no figures were asked for
     */
    public record Summary(Evaluation evaluation, Path output, int images, double seconds, List<Path> figures) {
        /** @return the overall metrics in one line */
        public String text() {
            var o = evaluation.overall();
            return String.format(Locale.ROOT, "%d images: image AUROC %.4f, pixel AUROC %.4f, AUPRO@%.1f %.4f, "
                            + "F1-max %.4f, F1 at calibrated threshold %.4f (%.1f s); tables in %s",
                    images, o.imageAuroc(), o.pixelAuroc(), o.auproMaxFpr(), o.aupro(), o.f1Max(), o.f1AtCalibrated(),
                    seconds, output);
        }
    }

    /**
     * A scored test image.
     *
     * @param score the image score
     * @param map   its anomaly map at the image's size, or null when the scorer makes none
     * @param mask  the predicted anomalous pixels, or null when the scorer has no pixel threshold
     */
    public record Scored(double score, FloatImage map, boolean[] mask) {
        /**
         * A score and map without a predicted mask.
         *
         * @param score the image score
         * @param map   the anomaly map, or null
         */
        public Scored(double score, FloatImage map) {
            this(score, map, null);
        }
    }

    /** How many of the highest and of the lowest scoring images each gallery shows. */
    public static final int GALLERY_CASES = 3;

    /** The finest curve step kept for the pixel curves' table and plots. */
    private static final int CURVE_RESOLUTION = 1000;

    private Evaluate() {
    }

    /**
     * Evaluates a detector.
     *
     * @param detector  the model
     * @param options   detection settings
     * @param dataset   the dataset root (holding test/ and ground_truth/)
     * @param output    folder for the tables (created if missing)
     * @param overwrite replace existing tables
     * @param loader    reads images and masks
     * @param figures   draws the curve plots and galleries, or null for tables only
     * @param listener  progress per image
     * @param cancel    stops between images
     * @return the metrics
     */
    public static Summary run(Detector detector, DetectOptions options, Path dataset, Path output, boolean overwrite,
                              ImageLoader loader, EvaluationFigures figures, ProgressListener listener,
                              CancellationToken cancel) {
        Thresholds calibrated = detector.thresholds(options.method());
        float threshold = calibrated == null ? Float.NaN : (float) calibrated.imageThreshold();
        return run(img -> {
            DetectionResult r = detector.detect(img, options);
            return new Scored(r.score(), r.map(), r.mask());
        }, threshold, dataset, output, overwrite, loader, figures, listener, cancel);
    }

    /**
     * Evaluates any scoring function, so baselines (one-stage residual, mean intensity) are measured
     * by exactly the same code as the model.
     *
     * @param scorer     maps a raw test image to its score and optional map
     * @param threshold  the calibrated image threshold, or NaN when there is none
     * @param dataset    the dataset root
     * @param output     folder for the tables
     * @param overwrite  replace existing tables
     * @param loader     reads images and masks
     * @param figures    draws the curve plots and galleries, or null for tables only
     * @param listener   progress per image
     * @param cancel     stops between images
     * @return the metrics
     * @throws InvalidInputException if the layout is wrong, a mask does not match its image, or a
     *                               table or figure exists and overwrite is false
     */
    public static Summary run(Function<FloatImage, Scored> scorer, float threshold, Path dataset, Path output,
                              boolean overwrite, ImageLoader loader, EvaluationFigures figures,
                              ProgressListener listener, CancellationToken cancel) {
        long t0 = System.nanoTime();
        DefectDataset data = new DefectDataset(dataset);
        List<String> types = data.testTypesWithNormal();
        prepareOutput(output, outputFiles(types, figures != null), overwrite);
        List<TestImage> images = testImages(data, types);
        Tally tally = new Tally(threshold, images.size(), figures != null);
        for (int i = 0; i < images.size(); i++) {
            cancel.throwIfCancelled("after " + i + " of " + images.size() + " test images");
            TestImage t = images.get(i);
            FloatImage img = loader.load(t.file()).get(0);
            Scored s = scorer.apply(img);
            boolean[] mask = t.anomalous() ? data.mask(t.type(), t.file(), img.width(), img.height(), loader) : null;
            tally.add(i, t, img, s, mask);
            listener.onProgress(new ProgressEvent("evaluate", i + 1, images.size(), java.util.Map.of(), Double.NaN,
                    Double.NaN, Double.NaN, "Evaluated " + (i + 1) + "/" + images.size() + ": " + t.type() + "/"
                    + t.file().getFileName()));
        }
        Evaluation e = tally.metrics.evaluate();
        Roc roc = Roc.of(tally.scores, tally.anomalous);
        PixelCurves pixels = writeTables(output, e, roc, tally);
        List<Path> drawn = figures == null ? List.of() : drawFigures(figures, output, e, roc, pixels, tally.gallery);
        return new Summary(e, output, images.size(), (System.nanoTime() - t0) / 1e9, drawn);
    }

    /** One test image to score: its file and its type (the test folder it is in). */
    private record TestImage(Path file, String type) {
        boolean anomalous() {
            return !DefectDataset.isNormal(type);
        }
    }

    /**
     * What one evaluation gathers while it streams through the test images: the metrics, every
     * image's score and label for the ROC, the per-image table and the gallery's picks.
     */
    private static final class Tally {
        final MetricsAccumulator metrics;
        final float[] scores;
        final boolean[] anomalous;
        final StringBuilder perImage = new StringBuilder("file,type,anomalous,score\n");
        final Gallery gallery = new Gallery(GALLERY_CASES);
        private final boolean drawing;

        Tally(float threshold, int images, boolean drawing) {
            this.metrics = Float.isNaN(threshold) ? new MetricsAccumulator() : new MetricsAccumulator(threshold, 0.3);
            this.scores = new float[images];
            this.anomalous = new boolean[images];
            this.drawing = drawing;
        }

        /** Counts the i-th test image, its score and map, and its ground truth (null when it has none). */
        void add(int i, TestImage t, FloatImage img, Scored s, boolean[] truth) {
            boolean bad = t.anomalous();
            if (s.map() == null) {
                metrics.add(t.type(), (float) s.score(), bad);
            } else {
                metrics.add(t.type(), (float) s.score(), s.map(), truth, bad);
            }
            if (drawing && s.map() != null) {
                gallery.offer(t.type(), t.file().getFileName().toString(), s.score(), img, s.map(), truth, s.mask());
            }
            scores[i] = (float) s.score();
            anomalous[i] = bad;
            perImage.append(t.file().getFileName()).append(',').append(t.type()).append(',').append(bad).append(',')
                    .append(String.format(Locale.ROOT, "%.6g", s.score())).append('\n');
        }
    }

    /** The files an evaluation writes into its output folder: the tables, then the figures if drawn. */
    private static List<String> outputFiles(List<String> types, boolean drawing) {
        List<String> files = new ArrayList<>(List.of("metrics.json", "metrics.csv", "image_scores.csv", "roc.csv",
                "pixel_curves.csv"));
        if (drawing) {
            files.addAll(List.of("roc.png", "pro.png"));
            types.forEach(t -> files.add(galleryFile(t)));
        }
        return files;
    }

    /** Creates the output folder and refuses, before any image is scored, to replace files unless allowed. */
    private static void prepareOutput(Path output, List<String> files, boolean overwrite) {
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot create " + output + ": " + e.getMessage(), e);
        }
        for (String t : files) {
            if (!overwrite && Files.exists(output.resolve(t))) {
                throw new InvalidInputException("The output folder " + output + " already holds " + t
                        + ". Choose another folder, or allow overwriting.");
            }
        }
    }

    /** Lists the test images type by type, in the types' order and each folder's file order. */
    private static List<TestImage> testImages(DefectDataset data, List<String> types) {
        List<TestImage> images = new ArrayList<>();
        for (String type : types) {
            for (Path f : ImageFolder.imageFiles(data.testFolder(type))) {
                images.add(new TestImage(f, type));
            }
        }
        return images;
    }

    /**
     * Writes the tables (metrics, per-image scores, image ROC and, when there were maps, the pixel
     * curves) and returns the pixel curves, or null without maps.
     */
    private static PixelCurves writeTables(Path output, Evaluation e, Roc roc, Tally tally) {
        StringBuilder rocCsv = new StringBuilder("fpr,tpr,threshold\n");
        for (int i = 0; i < roc.fpr().length; i++) {
            rocCsv.append(String.format(Locale.ROOT, "%.6g,%.6g,%.6g%n", roc.fpr()[i], roc.tpr()[i],
                    roc.thresholds()[i]));
        }
        TextFiles.writeAtomically(output.resolve("metrics.json"), e.toJson());
        TextFiles.writeAtomically(output.resolve("metrics.csv"), e.toCsv());
        TextFiles.writeAtomically(output.resolve("image_scores.csv"), tally.perImage.toString());
        TextFiles.writeAtomically(output.resolve("roc.csv"), rocCsv.toString());
        PixelCurves pixels = tally.metrics.pixelCurves(CURVE_RESOLUTION);
        if (pixels != null) {
            StringBuilder csv = new StringBuilder("fpr,tpr,pro\n");
            for (int i = 0; i < pixels.size(); i++) {
                csv.append(String.format(Locale.ROOT, "%.6g,%.6g,%.6g%n", pixels.fpr()[i], pixels.tpr()[i],
                        pixels.pro()[i]));
            }
            TextFiles.writeAtomically(output.resolve("pixel_curves.csv"), csv.toString());
        }
        return pixels;
    }

    private static String galleryFile(String type) {
        return "gallery_" + type.replaceAll("[^A-Za-z0-9_.-]", "_") + ".png";
    }

    private static List<Path> drawFigures(EvaluationFigures figures, Path output, Evaluation e, Roc roc,
                                          PixelCurves pixels, Gallery gallery) {
        List<Path> drawn = new ArrayList<>();
        var o = e.overall();
        List<EvaluationFigures.Series> rocLines = new ArrayList<>();
        if (roc.positives() > 0 && roc.negatives() > 0) {
            rocLines.add(new EvaluationFigures.Series(String.format(Locale.ROOT, "image ROC (AUROC %.3f)",
                    o.imageAuroc()), roc.fpr(), roc.tpr()));
        }
        if (pixels != null) {
            rocLines.add(new EvaluationFigures.Series(String.format(Locale.ROOT, "pixel ROC (AUROC %.3f)",
                    o.pixelAuroc()), pixels.fpr(), pixels.tpr()));
        }
        if (!rocLines.isEmpty()) {
            figures.plot(output.resolve("roc.png"), "ROC curves", "false positive rate", "true positive rate",
                    rocLines, 1.0);
            drawn.add(output.resolve("roc.png"));
        }
        if (pixels != null && !Double.isNaN(o.aupro())) {
            double limit = o.auproMaxFpr();
            int n = 0;
            while (n < pixels.size() && pixels.fpr()[n] < limit) {
                n++;
            }
            double[] x = Arrays.copyOf(pixels.fpr(), Math.min(n + 1, pixels.size()));
            double[] y = Arrays.copyOf(pixels.pro(), x.length);
            int last = x.length - 1;
            if (last > 0 && x[last] > limit) {
                y[last] = y[last - 1] + (y[last] - y[last - 1]) * (limit - x[last - 1]) / (x[last] - x[last - 1]);
                x[last] = limit;
            }
            figures.plot(output.resolve("pro.png"), String.format(Locale.ROOT, "PRO curve (AUPRO@%.1f %.3f)",
                    limit, o.aupro()), "false positive rate (normal pixels)", "per-region overlap",
                    List.of(new EvaluationFigures.Series("PRO", x, y)), limit);
            drawn.add(output.resolve("pro.png"));
        }
        double heatMax = gallery.heatMax();
        for (String type : gallery.types()) {
            figures.gallery(output.resolve(galleryFile(type)), DefectDataset.TEST + "/" + type + ": best and worst "
                    + GALLERY_CASES + " by image score", gallery.rows(type), heatMax);
            drawn.add(output.resolve(galleryFile(type)));
        }
        return drawn;
    }
}
