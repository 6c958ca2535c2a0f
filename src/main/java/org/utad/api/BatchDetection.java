package org.utad.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.utad.core.CancellationToken;
import org.utad.core.CancelledException;
import org.utad.core.FloatImage;
import org.utad.core.ImageLoader;
import org.utad.core.ImageSaver;
import org.utad.core.InvalidInputException;
import org.utad.core.ProgressEvent;
import org.utad.core.ProgressListener;
import org.utad.core.UtadException;
import org.utad.data.ImageFolder;
import org.utad.infer.DetectOptions;
import org.utad.infer.DetectionResult;
import org.utad.infer.Detector;

/**
 * Detection over a folder of images, one image in memory at a time, writing a heatmap TIFF per
 * image (and a mask PNG when the model is calibrated) and a {@code scores.csv}.
 *
 * <p>An unreadable image or one that does not fit the model is recorded in the CSV with its reason
 * and the run goes on. The CSV is rewritten atomically after every image, so a cancelled or killed
 * run leaves a valid CSV listing exactly the images whose outputs are complete. Existing files in
 * the output folder are never replaced unless overwrite is set.
 */
public final class BatchDetection {
    /** The name of the scores table written into the output folder. */
    public static final String CSV = "scores.csv";
    /** Suffix of heatmap files. */
    public static final String HEATMAP_SUFFIX = "_heatmap.tif";
    /** Suffix of mask files. */
    public static final String MASK_SUFFIX = "_mask.png";

    /**
     * One line of the scores table.
     *
     * @param file    the input file name
     * @param image   the image name (differs from the file for stacks)
     * @param score   the image score, NaN on error
     * @param verdict anomalous / normal / unknown, or "error"
     * @param regions number of anomalous regions
     * @param error   the reason the image failed, empty if none
     */
    public record Row(String file, String image, double score, String verdict, int regions, String error) {
    }

    /**
     * The outcome of a batch run.
     *
     * @param rows    one per image (or per failed file)
     * @param csv     the scores table
     * @param failed  how many files failed
     * @param seconds wall time
     */
    public record Summary(List<Row> rows, Path csv, int failed, double seconds) {
        /** @return a one-line summary */
        public String text() {
            long anomalous = rows.stream().filter(r -> r.verdict().equals("anomalous")).count();
            return String.format(Locale.ROOT, "Detected %d images (%d anomalous, %d failed) in %.1f s; scores in %s",
                    rows.size() - failed, anomalous, failed, seconds, csv);
        }
    }

    private BatchDetection() {
    }

    /**
     * Runs detection over every image file of a folder.
     *
     * @param detector  the model
     * @param input     folder of images
     * @param output    folder for results (created if missing)
     * @param options   detection settings
     * @param masks     also write mask PNGs (calibrated models only)
     * @param overwrite replace existing result files
     * @param loader    reads image files
     * @param saver     writes result files
     * @param listener  progress per image
     * @param cancel    stops between images; what was written stays valid
     * @return the summary
     * @throws InvalidInputException if the input folder has no images, or a result file exists and
     *                               overwrite is false (checked before anything is written)
     */
    public static Summary run(Detector detector, Path input, Path output, DetectOptions options, boolean masks,
                              boolean overwrite, ImageLoader loader, ImageSaver saver, ProgressListener listener,
                              CancellationToken cancel) {
        long t0 = System.nanoTime();
        List<Path> files = ImageFolder.imageFiles(input);
        if (files.isEmpty()) {
            throw new InvalidInputException("The folder " + input + " has no image files (.tif, .png, .jpg, .bmp).");
        }
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot create the output folder " + output + ": " + e.getMessage(), e);
        }
        Path csv = output.resolve(CSV);
        if (!overwrite) {
            List<String> clashes = new ArrayList<>();
            if (Files.exists(csv)) {
                clashes.add(CSV);
            }
            for (Path f : files) {
                for (String suffix : new String[] {HEATMAP_SUFFIX, MASK_SUFFIX}) {
                    if (Files.exists(output.resolve(stem(f) + suffix))) {
                        clashes.add(stem(f) + suffix);
                    }
                }
            }
            if (!clashes.isEmpty()) {
                throw new InvalidInputException("The output folder " + output + " already holds " + clashes.size()
                        + " result file(s), e.g. " + clashes.get(0) + ". Choose an empty folder, or allow overwriting.");
            }
        }
        List<Row> rows = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < files.size(); i++) {
            if (cancel.isCancelled()) {
                writeCsv(csv, rows);
                throw new CancelledException("Detection cancelled after " + i + " of " + files.size()
                        + " files; results so far are in " + csv + ".");
            }
            Path f = files.get(i);
            try {
                List<FloatImage> images = loader.load(f);
                for (int k = 0; k < images.size(); k++) {
                    DetectionResult r = detector.detect(images.get(k), options);
                    String base = images.size() == 1 ? stem(f) : stem(f) + "_" + (k + 1);
                    saver.saveFloatTiff(r.map(), output.resolve(base + HEATMAP_SUFFIX), overwrite);
                    if (masks && r.mask() != null) {
                        saver.saveMaskPng(r.mask(), r.map().width(), r.map().height(),
                                output.resolve(base + MASK_SUFFIX), overwrite);
                    }
                    rows.add(new Row(f.getFileName().toString(), r.name(), r.score(),
                            r.verdict().name().toLowerCase(Locale.ROOT), r.regions().size(), ""));
                }
            } catch (UtadException e) {
                failed++;
                rows.add(new Row(f.getFileName().toString(), "", Double.NaN, "error", 0, e.getMessage()));
                listener.onProgress(ProgressEvent.message("detect", "Skipped " + f.getFileName() + ": " + e.getMessage()));
            }
            writeCsv(csv, rows);
            double secs = (System.nanoTime() - t0) / 1e9;
            double rate = (i + 1) / secs;
            listener.onProgress(new ProgressEvent("detect", i + 1, files.size(), java.util.Map.of(), Double.NaN, rate,
                    (files.size() - i - 1) / rate, "Detected " + (i + 1) + "/" + files.size() + ": " + f.getFileName()));
        }
        return new Summary(rows, csv, failed, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Writes the scores table atomically.
     *
     * @param csv  the target
     * @param rows its rows
     */
    static void writeCsv(Path csv, List<Row> rows) {
        StringBuilder sb = new StringBuilder("file,image,score,verdict,regions,error\n");
        for (Row r : rows) {
            sb.append(quote(r.file())).append(',').append(quote(r.image())).append(',')
                    .append(Double.isNaN(r.score()) ? "" : String.format(Locale.ROOT, "%.6g", r.score())).append(',')
                    .append(r.verdict()).append(',').append(r.regions()).append(',').append(quote(r.error()))
                    .append('\n');
        }
        TextFiles.writeAtomically(csv, sb.toString());
    }

    private static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"").replace("\n", " ") + "\"";
        }
        return s;
    }

    private static String stem(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

}
