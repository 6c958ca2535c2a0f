package org.utad.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.utad.config.Thresholds;
import org.utad.core.CancellationToken;
import org.utad.core.FileNames;
import org.utad.core.FloatImage;
import org.utad.core.ImageLoader;
import org.utad.core.ImageSaver;
import org.utad.core.InvalidInputException;
import org.utad.core.ProgressListener;
import org.utad.core.UtadException;
import org.utad.data.ImageFolder;
import org.utad.engine.Engines;
import org.utad.infer.DetectOptions;
import org.utad.infer.DetectionResult;
import org.utad.infer.Detector;
import org.utad.infer.HeatmapScale;
import org.utad.infer.Method;

/**
 * Detection over a folder of images, writing a heatmap TIFF per image (and a mask PNG when the
 * model is calibrated) and a {@code scores.csv}. On the CPU, files of at most {@link
 * #PARALLEL_FILE_BYTES} are detected one per intra-op thread at a time, each image on one thread (which
 * uses the cores better than one image on all of them); larger files, and every file on a GPU, one at a
 * time ({@link FolderLoop} paces them). The table lists the files in the folder's order either way.
 *
 * <p>An unreadable image or one that does not fit the model is recorded in the CSV with its reason
 * and the run goes on. The CSV is rewritten atomically after every image, so a cancelled or killed
 * run leaves a valid CSV listing exactly the images whose outputs are complete. Existing files in
 * the output folder are never replaced unless overwrite is set.
 *
 * <p>For cluster array jobs a run can take one {@link Shard} of the folder and write its own table
 * part; {@link ScoresCsv#mergeShards} joins the parts. The per-file step, {@link #detectFile}, is
 * also what each task of the Spark job runs, so every route writes the same files and rows.
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

    /**
     * Files larger than this on disk are detected one at a time (a 4096 x 4096 16-bit TIFF is 32 MB and
     * held 1.2 GB at its peak); smaller ones may be detected several at once.
     */
    static final long PARALLEL_FILE_BYTES = 16L << 20;

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
        return run(detector, input, output, options, masks, overwrite, Shard.ALL, loader, saver, listener, cancel);
    }

    /**
     * Runs detection over one share of a folder's image files, for the tasks of a cluster array
     * job: shard i of n detects its own images and writes its own table,
     * {@code scores.part-<i>-of-<n>.csv}, which {@link ScoresCsv#mergeShards} later joins into
     * scores.csv. The whole folder ({@link Shard#ALL}) writes scores.csv directly. A share keeps
     * its rows in {@code <table>.partial} while it runs and gives the table its final name only when
     * every image is done, so a killed or failed task leaves no table that the merge could take for
     * complete. A shard whose share is empty (fewer images than shards) writes an empty table.
     *
     * @param detector  the model
     * @param input     folder of images
     * @param output    folder for results (created if missing); shards may share it
     * @param options   detection settings
     * @param masks     also write mask PNGs (calibrated models only)
     * @param overwrite replace existing result files
     * @param shard     which share of the images to process
     * @param loader    reads image files
     * @param saver     writes result files
     * @param listener  progress per image
     * @param cancel    stops between images; what was written stays valid
     * @return the summary of this share
     * @throws InvalidInputException if the input folder has no images, or one of this share's result
     *                               files exists and overwrite is false (checked before anything is
     *                               written)
     */
    public static Summary run(Detector detector, Path input, Path output, DetectOptions options, boolean masks,
                              boolean overwrite, Shard shard, ImageLoader loader, ImageSaver saver,
                              ProgressListener listener, CancellationToken cancel) {
        long t0 = System.nanoTime();
        List<Path> all = ImageFolder.imageFiles(input);
        if (all.isEmpty()) {
            throw new InvalidInputException("The folder " + input + " has no image files (.tif, .png, .jpg, .bmp).");
        }
        List<Path> files = shard.select(all);
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot create the output folder " + output + ": " + e.getMessage(), e);
        }
        Path csv = output.resolve(shard.tableName());
        Path progress = shard.isAll() ? csv : output.resolve(shard.tableName() + Shard.PARTIAL_SUFFIX);
        if (!overwrite) {
            List<String> clashes = new ArrayList<>();
            for (Path table : new Path[] {csv, progress}) {
                if (Files.exists(table) && !clashes.contains(table.getFileName().toString())) {
                    clashes.add(table.getFileName().toString());
                }
            }
            for (Path f : files) {
                for (String suffix : new String[] {HEATMAP_SUFFIX, MASK_SUFFIX}) {
                    if (Files.exists(output.resolve(baseName(f) + suffix))) {
                        clashes.add(baseName(f) + suffix);
                    }
                }
            }
            if (!clashes.isEmpty()) {
                throw new InvalidInputException("The output folder " + output + " already holds " + clashes.size()
                        + " result file(s), e.g. " + clashes.get(0) + ". Choose an empty folder, or allow overwriting.");
            }
        }
        int threads = Engines.intraOpThreads();
        List<List<Row>> byFile = FolderLoop.detectAll(files, threads, imagesInFlight(detector, files, threads),
                f -> detectFile(detector, f, output, options, masks, overwrite, loader, saver), listener, cancel,
                progress, t0);
        List<Row> rows = new ArrayList<>();
        byFile.forEach(rows::addAll);
        int failed = (int) byFile.stream().filter(BatchDetection::isFailure).count();
        if (!progress.equals(csv)) {
            ScoresCsv.write(csv, rows);
            try {
                Files.deleteIfExists(progress);
            } catch (IOException e) {
                throw new InvalidInputException("Cannot delete " + progress + " after writing " + csv + ": "
                        + e.getMessage(), e);
            }
        }
        return new Summary(rows, csv, failed, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * How many images to detect at once: on the CPU, one per intra-op thread of the calling thread (each
     * then runs on one thread, which gave 1.32-1.42 times the throughput of one image on two threads on
     * this project's two-core machine; docs/BENCHMARKS.md, issue 17's eleventh pass), but never more
     * than the files, and one at a time when a file is larger than {@link #PARALLEL_FILE_BYTES} (a
     * large image's tiles already fill the cores, and each image in flight holds its own memory). A
     * GPU takes one image at a time.
     *
     * @param detector the model
     * @param files    the files to detect
     * @param threads  the calling thread's intra-op threads
     * @return at least 1
     */
    public static int imagesInFlight(Detector detector, List<Path> files, int threads) {
        if (threads < 2 || files.size() < 2 || !detector.onCpu()) {
            return 1;
        }
        for (Path f : files) {
            try {
                if (Files.size(f) > PARALLEL_FILE_BYTES) {
                    return 1;
                }
            } catch (IOException e) {
                // Unreadable files get their error row from detectFile; they do not decide the pace.
            }
        }
        return Math.min(threads, files.size());
    }

    /**
     * Detects on one image file and writes its results, the unit of work that every batch front
     * end shares (this class's folder loop, the shards of an array job, the tasks of the Spark
     * job), so they all write the same files and the same rows. The heatmap (and mask) of each
     * image is written atomically before its row is returned.
     *
     * @param detector  the model
     * @param file      the image file; a stack gives one row per slice
     * @param output    folder for the results
     * @param options   detection settings
     * @param masks     also write mask PNGs (calibrated models only)
     * @param overwrite replace existing result files
     * @param loader    reads the file
     * @param saver     writes the results
     * @return the file's rows; a file that cannot be read, does not fit the model or cannot be
     *         written gives one row with verdict "error" and the reason, instead of an exception
     */
    public static List<Row> detectFile(Detector detector, Path file, Path output, DetectOptions options,
                                       boolean masks, boolean overwrite, ImageLoader loader, ImageSaver saver) {
        String name = file.getFileName().toString();
        try {
            List<FloatImage> images = loader.load(file);
            List<Row> rows = new ArrayList<>(images.size());
            Thresholds thresholds = detector.thresholds(options.method());
            for (int k = 0; k < images.size(); k++) {
                DetectionResult r = detector.detect(images.get(k), options);
                String base = images.size() == 1 ? baseName(file) : baseName(file) + "_" + (k + 1);
                writeHeatmap(saver, r.map(), thresholds, options.method(), output.resolve(base + HEATMAP_SUFFIX),
                        overwrite);
                if (masks && r.mask() != null) {
                    saver.saveMaskPng(r.mask(), r.map().width(), r.map().height(),
                            output.resolve(base + MASK_SUFFIX), overwrite);
                }
                rows.add(new Row(name, r.name(), r.score(), r.verdict().name().toLowerCase(Locale.ROOT),
                        r.regions().size(), ""));
            }
            return rows;
        } catch (UtadException e) {
            return List.of(new Row(name, "", Double.NaN, "error", 0, e.getMessage()));
        }
    }

    /**
     * Writes one anomaly map as a heatmap TIFF in the one scale of {@link HeatmapScale}: its display
     * range and its Info say what the numbers mean, as on screen. Folder detection and the detection
     * benchmark both write through here, so the benchmark times the file users get.
     *
     * @param saver      writes the file
     * @param map        the map
     * @param thresholds the model's thresholds for the method, or null when it has none
     * @param method     the method that made the map
     * @param file       the target file
     * @param overwrite  whether an existing file may be replaced
     */
    public static void writeHeatmap(ImageSaver saver, FloatImage map, Thresholds thresholds, Method method, Path file,
                                    boolean overwrite) {
        double displayMax = HeatmapScale.displayMax(thresholds, HeatmapScale.largest(map.data()));
        saver.saveHeatmapTiff(map, HeatmapScale.describe(thresholds, method, displayMax), displayMax, file, overwrite);
    }

    /**
     * Tells whether the rows of one file say that it failed.
     *
     * @param fileRows the rows {@link #detectFile} returned for one file
     * @return true for the single "error" row of a failed file
     */
    public static boolean isFailure(List<Row> fileRows) {
        return fileRows.size() == 1 && fileRows.get(0).verdict().equals("error");
    }

    /**
     * The name an input file's results are written under: the file name without its extension,
     * followed by {@link #HEATMAP_SUFFIX} or {@link #MASK_SUFFIX} (and the slice number for stacks).
     * Two inputs with the same base name would write the same result files.
     *
     * @param file an input image file
     * @return its name without the extension
     */
    public static String baseName(Path file) {
        return FileNames.stem(file.getFileName().toString());
    }
}
