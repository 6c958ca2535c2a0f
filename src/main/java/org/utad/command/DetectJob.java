package org.utad.command;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.plugin.frame.RoiManager;
import java.awt.GraphicsEnvironment;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.utad.api.BatchDetection;
import org.utad.api.Shard;
import org.utad.api.Utad;
import org.utad.config.Thresholds;
import org.utad.config.UtadConfig;
import org.utad.config.UserOptions;
import org.utad.core.CancellationToken;
import org.utad.core.FileNames;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.core.ProgressListener;
import org.utad.engine.DeviceChoice;
import org.utad.imagej.AnomalyRois;
import org.utad.imagej.HeatmapImages;
import org.utad.imagej.IjImageLoader;
import org.utad.imagej.IjImageSaver;
import org.utad.imagej.ImagePlusAdapter;
import org.utad.imagej.ScoreTable;
import org.utad.infer.DetectOptions;
import org.utad.infer.DetectionResult;
import org.utad.infer.Detector;
import org.utad.infer.HeatmapScale;
import org.utad.infer.Method;

/**
 * Detection as both the SciJava command and its ImageJ 1.x twin run it: on an open image/stack it
 * returns the heatmap, overlay, optional mask and intermediate stacks, a results table and the
 * anomalous regions as selections; on a folder it writes heatmap TIFFs and scores.csv through
 * {@link BatchDetection} and returns the table.
 */
public final class DetectJob {
    /**
     * What the user asked for.
     *
     * @param image         the open image/stack; ignored when a folder is given
     * @param folder        a folder of images, or an empty path for none
     * @param model         the model file
     * @param output        the output folder (folder input only)
     * @param conversion    none or auto
     * @param method        utad or baseline
     * @param device        auto, cpu or gpu
     * @param masks         also make masks (calibrated models only)
     * @param intermediates also make impression, expert reconstruction and expert variance stacks
     * @param addRois       add anomalous regions to the ROI Manager
     * @param overwrite     replace existing files in the output folder
     * @param shard         for folder input, "i/n" to process only that share of the images
     *                      (cluster array jobs), or empty for all of them
     * @param settings      detect.* overrides of the model's detection settings, key=value pairs
     *                      separated by spaces or ';' (as bin/utad's --set), or empty for none
     */
    public record Request(ImagePlus image, File folder, File model, File output, String conversion, String method,
                          String device, boolean masks, boolean intermediates, boolean addRois, boolean overwrite,
                          String shard, String settings) {
    }

    /**
     * What detection produced; images not asked for (or not available) are null.
     *
     * @param heatmap    32-bit heatmap stack with the Fire LUT, in the one scale of {@link HeatmapScale}
     * @param overlay    RGB stack of the input with the heat laid over where it nears or passes the threshold
     * @param mask       8-bit 0/255 mask stack
     * @param impression IE-Net impression stack
     * @param expert     expert reconstruction stack
     * @param variance   the variance of the random-code expert reconstructions (UTAD method)
     * @param table      one row per slice or file
     * @param rois       the anomalous regions as named selections (image input only)
     * @param batch      the folder run's summary, or null for image input
     */
    public record Result(ImagePlus heatmap, ImagePlus overlay, ImagePlus mask, ImagePlus impression,
                         ImagePlus expert, ImagePlus variance, ResultsTable table, List<Roi> rois,
                         BatchDetection.Summary batch) {
    }

    private DetectJob() {
    }

    /**
     * Reads the command's options into a request.
     *
     * @param o     the parsed options
     * @param image the image to use when no folder is given (may be null)
     * @return the request
     */
    public static Request request(MacroOptions o, ImagePlus image) {
        return new Request(image, o.file(UserOptions.FOLDER), o.file(UserOptions.MODEL),
                o.file(UserOptions.OUTPUT), o.choice(UserOptions.CONVERSION), o.choice(UserOptions.METHOD),
                o.choice(UserOptions.DEVICE), o.flag(UserOptions.MASKS), o.flag(UserOptions.INTERMEDIATES),
                o.flag(UserOptions.ADD_ROIS), o.flag(UserOptions.OVERWRITE), o.text(UserOptions.SHARD),
                o.text(UserOptions.SETTINGS));
    }

    /**
     * Runs detection.
     *
     * @param r        the request
     * @param log      receives summaries and warnings
     * @param listener progress per image
     * @param cancel   stops between images
     * @return the outputs
     */
    public static Result run(Request r, UserLog log, ProgressListener listener, CancellationToken cancel) {
        if (MacroOptions.isUnset(r.model())) {
            throw new InvalidInputException("Choose the model file to detect with.");
        }
        boolean folder = !MacroOptions.isUnset(r.folder());
        if (folder && MacroOptions.isUnset(r.output())) {
            throw new InvalidInputException("Detection on a folder needs an output folder for the heatmaps and"
                    + " scores.csv.");
        }
        Shard shard = Shard.parse(r.shard());
        if (!folder && !shard.isAll()) {
            throw new InvalidInputException("A shard (" + shard + ") splits the images of a folder; it does not apply"
                    + " to an open image. Give a folder, or leave the shard empty.");
        }
        List<FloatImage> inputs = folder ? List.of() : ImagePlusAdapter.toFloatImages(r.image());
        try (Detector d = Utad.open(r.model().toPath(), DeviceChoice.parse(r.device()))) {
            DetectOptions options = options(d.manifest().config(), r.conversion(), r.method(), r.settings(),
                    r.intermediates());
            if (folder) {
                BatchDetection.Summary s = BatchDetection.run(d, r.folder().toPath(), r.output().toPath(), options,
                        r.masks(), r.overwrite(), shard, new IjImageLoader(), new IjImageSaver(), listener, cancel);
                log.info(s.text());
                d.fallbackMessages().forEach(log::warn);
                List<ScoreTable.Row> rows = new ArrayList<>();
                for (BatchDetection.Row row : s.rows()) {
                    rows.add(new ScoreTable.Row(ScoreTable.fileLabel(row.file(), row.image()), row.score(),
                            row.verdict(), row.regions()));
                }
                return new Result(null, null, null, null, null, null, ScoreTable.of(rows), List.of(), s);
            }
            List<DetectionResult> results = d.detectAll(inputs, options, listener, cancel, true);
            for (DetectionResult x : results) {
                if (x.error() != null) {
                    log.warn("Slice " + x.name() + " was not processed: " + x.error());
                }
            }
            d.fallbackMessages().forEach(log::warn);
            return imageOutputs(r, inputs, results, d.thresholds(options.method()), options.method(), log);
        }
    }

    /**
     * Builds detection options from the model's own settings and the user's choices, through the
     * same {@link Utad#detectOptions} as the command line and the Spark job, with the settings read
     * by the same {@link UserOptions#settings}, so that the same settings give the same maps in
     * every front end. Public so that a test can hold it against the command line's.
     *
     * @param model         the model's configuration
     * @param conversion    none or auto
     * @param method        utad, baseline or expert
     * @param settings      detect.* overrides, key=value pairs separated by spaces or ';'; may be empty
     * @param intermediates whether to return impression, expert reconstruction and variance
     * @return the options
     * @throws IllegalArgumentException naming a bad word, or a setting that is not a detect.* key
     */
    public static DetectOptions options(UtadConfig model, String conversion, String method, String settings,
                                        boolean intermediates) {
        return Utad.detectOptions(model, UserOptions.settings(settings), UserOptions.word(conversion),
                UserOptions.word(method)).withIntermediates(intermediates);
    }

    /**
     * Shows the table under {@link ScoreTable#TITLE} where a screen exists (in ImageJ's batch mode
     * too, where macros read it); headless it stays a command output only.
     *
     * @param table the table
     */
    public static void show(ResultsTable table) {
        if (table != null && !GraphicsEnvironment.isHeadless()) {
            table.show(ScoreTable.TITLE);
        }
    }

    /**
     * Appends selections to the ROI Manager: the open one, or a new one (in macro batch mode, the
     * hidden batch-mode manager) when none is open. Never resets it, so the user's ROIs stay.
     *
     * @param rois the selections
     * @param log  says so when there is no region to add (the user asked for regions and would
     *             otherwise see nothing happen), and warns when no ROI Manager can exist (headless Java)
     * @return how many were added
     */
    public static int addToRoiManager(List<Roi> rois, UserLog log) {
        if (rois.isEmpty()) {
            log.info("No anomalous region was found, so nothing was added to the ROI Manager.");
            return 0;
        }
        if (GraphicsEnvironment.isHeadless()) {
            log.warn("The ROI Manager needs a display; " + rois.size() + " anomalous region(s) were not added"
                    + " (they are counted in the results table).");
            return 0;
        }
        RoiManager rm = RoiManager.getInstance();
        if (rm == null) {
            rm = RoiManager.getRoiManager();
        }
        return AnomalyRois.addAll(rois, rm::addRoi);
    }

    private static Result imageOutputs(Request r, List<FloatImage> inputs, List<DetectionResult> results,
                                       Thresholds thresholds, Method method, UserLog log) {
        String base = stem(r.image().getTitle());
        boolean calibrated = thresholds != null && results.stream().allMatch(x -> x.mask() != null);
        List<FloatImage> maps = new ArrayList<>();
        List<FloatImage> impressions = new ArrayList<>();
        List<FloatImage> experts = new ArrayList<>();
        List<FloatImage> variances = new ArrayList<>();
        List<boolean[]> masks = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<ScoreTable.Row> rows = new ArrayList<>();
        List<Roi> rois = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            DetectionResult x = results.get(i);
            maps.add(x.map());
            names.add(x.name());
            masks.add(x.mask());
            if (x.impression() != null) {
                impressions.add(x.impression());
            }
            if (x.expert() != null) {
                experts.add(x.expert());
            }
            if (x.variance() != null) {
                variances.add(x.variance());
            }
            rows.add(new ScoreTable.Row(x.name(), x.score(), x.verdict().name().toLowerCase(Locale.ROOT),
                    x.regions().size()));
            rois.addAll(AnomalyRois.of(x.regions(), i + 1));
        }
        Thresholds shown = calibrated ? thresholds : null;
        double displayMax = HeatmapScale.displayMax(shown, HeatmapImages.largest(maps));
        double threshold = shown == null ? Double.NaN : shown.pixelThreshold();
        String info = HeatmapScale.describe(shown, method, displayMax);
        ImagePlus heatmap = HeatmapImages.heatmap(maps, base + "_heatmap", displayMax, threshold, info);
        ImagePlus overlay = HeatmapImages.overlay(inputs, maps, base + "_overlay", displayMax, threshold, info);
        ImagePlus mask = null;
        if (r.masks() && calibrated) {
            FloatImage first = maps.get(0);
            mask = HeatmapImages.masks(masks, names, first.width(), first.height(), first.calibration(), base + "_mask");
        } else if (r.masks()) {
            log.warn(r.method() != null && !UserOptions.word(r.method()).equals(UserOptions.METHOD_UTAD)
                    ? "Thresholds are calibrated for the UTAD map only, so the " + UserOptions.word(r.method())
                    + " method gives no verdicts and no mask."
                    : "The model has no calibrated threshold, so there is no mask; recalibrate it on normal images.");
        }
        ImagePlus impression = null;
        ImagePlus expert = null;
        ImagePlus variance = null;
        if (r.intermediates() && impressions.size() == results.size() && experts.size() == results.size()) {
            impression = ImagePlusAdapter.toImagePlus(impressions, base + "_impression");
            expert = ImagePlusAdapter.toImagePlus(experts, base + "_expert");
            if (variances.size() == results.size()) {
                variance = HeatmapImages.variance(variances, base + "_variance");
            }
        } else if (r.intermediates()) {
            log.warn("This method returns no intermediate images (the baseline has no expert reconstruction).");
        }
        long anomalous = rows.stream().filter(x -> x.verdict().equals("anomalous")).count();
        log.info("Detected " + results.size() + " slice(s) of " + r.image().getTitle() + ": " + anomalous
                + " anomalous, " + rois.size() + " region(s).");
        return new Result(heatmap, overlay, mask, impression, expert, variance, ScoreTable.of(rows), rois, null);
    }

    private static String stem(String title) {
        return FileNames.stem(title == null || title.isBlank() ? "image" : title);
    }
}
