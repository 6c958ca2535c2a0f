package org.utad.command;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.utad.config.UserOptions;

/**
 * Plugins &gt; UTAD &gt; Detect Anomalies: runs a model on an open image/stack and outputs the heatmap,
 * the overlay, optionally the mask and intermediate stacks, the "UTAD Results" table and, if asked,
 * the anomalous regions in the ROI Manager; or runs it over a folder, writing heatmap TIFFs and
 * scores.csv into an output folder.
 *
 * <p>Field names, choices, defaults and help are those of {@link UserOptions#DETECT}, the macro keys
 * of docs/MACROS.md (a test checks both); path fields default to empty paths so that
 * macro replay never opens a chooser.
 */
@Plugin(type = Command.class, menuPath = "Plugins>UTAD>Detect Anomalies")
public class DetectAnomaliesCommand extends UtadCommand {
    @Parameter(label = "Image (open stack)", required = false, description = UserOptions.HELP_IMAGE)
    private ImagePlus image;

    @Parameter(label = "or folder of images", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false,
            description = UserOptions.HELP_FOLDER_DETECT)
    private File folder = new File("");

    @Parameter(label = "Model file", style = FileWidget.OPEN_STYLE, description = UserOptions.HELP_MODEL_DETECT)
    private File model;

    @Parameter(label = "Output folder (folder input)", style = FileWidget.DIRECTORY_STYLE, required = false,
            persist = false, description = UserOptions.HELP_OUTPUT_DETECT)
    private File output = new File("");

    @Parameter(label = "Channel conversion", choices = {UserOptions.CONVERSION_NONE, UserOptions.CONVERSION_AUTO},
            description = UserOptions.HELP_CONVERSION)
    private String conversion = UserOptions.CONVERSION_NONE;

    @Parameter(label = "Method", choices = {UserOptions.METHOD_UTAD, UserOptions.METHOD_BASELINE,
            UserOptions.METHOD_EXPERT}, description = UserOptions.HELP_METHOD)
    private String method = UserOptions.METHOD_UTAD;

    @Parameter(label = "Device", choices = {UserOptions.DEVICE_AUTO, UserOptions.DEVICE_CPU, UserOptions.DEVICE_GPU},
            description = UserOptions.HELP_DEVICE)
    private String device = UserOptions.DEVICE_AUTO;

    @Parameter(label = "Output masks", description = UserOptions.HELP_MASKS)
    private boolean masks;

    @Parameter(label = "Output impression, expert reconstruction and variance", description = UserOptions.HELP_INTERMEDIATES)
    private boolean intermediates;

    @Parameter(label = "Add anomalous regions to the ROI Manager", description = UserOptions.HELP_ADD_ROIS)
    private boolean add_rois;

    @Parameter(label = "Overwrite files in the output folder", persist = false,
            description = UserOptions.HELP_OVERWRITE_DETECT)
    private boolean overwrite;

    @Parameter(label = "Shard of the folder (i/n, array jobs)", required = false, persist = false,
            description = UserOptions.HELP_SHARD)
    private String shard = "";

    @Parameter(label = "Detection settings (detect.key=value ...)", required = false, persist = false,
            description = UserOptions.HELP_SETTINGS_DETECT)
    private String settings = "";

    @Parameter(type = ItemIO.OUTPUT, label = "Heatmap")
    private ImagePlus heatmap;

    @Parameter(type = ItemIO.OUTPUT, label = "Overlay")
    private ImagePlus overlay;

    @Parameter(type = ItemIO.OUTPUT, label = "Mask")
    private ImagePlus mask;

    @Parameter(type = ItemIO.OUTPUT, label = "Impression")
    private ImagePlus impression;

    @Parameter(type = ItemIO.OUTPUT, label = "Expert reconstruction")
    private ImagePlus expert;

    @Parameter(type = ItemIO.OUTPUT, label = "Expert variance")
    private ImagePlus variance;

    @Parameter(type = ItemIO.OUTPUT, label = "Results")
    private ResultsTable results;

    @Override
    public void run() {
        execute("Detect Anomalies", (log, progress, cancel) -> {
            DetectJob.Result r = DetectJob.run(new DetectJob.Request(image, folder, model, output, conversion, method,
                    device, masks, intermediates, add_rois, overwrite, shard, settings), log, progress, cancel);
            heatmap = r.heatmap();
            overlay = r.overlay();
            mask = r.mask();
            impression = r.impression();
            expert = r.expert();
            variance = r.variance();
            results = r.table();
            DetectJob.show(results);
            if (add_rois) {
                DetectJob.addToRoiManager(r.rois(), log);
            }
        });
    }
}
