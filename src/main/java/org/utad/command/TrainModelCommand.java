package org.utad.command;

import ij.ImagePlus;
import java.io.File;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.utad.config.UserOptions;

/**
 * Plugins &gt; UTAD &gt; Train Model: trains a detector on normal images (an open stack or a folder)
 * and writes the model file; outputs the loss curves as a plot image and the summary text.
 *
 * <p>Field names, choices, defaults and help are those of {@link UserOptions#TRAIN}, the macro keys
 * of docs/MACROS.md (hence the snake_case; a test checks both), so a recorded call of
 * this command and of its ImageJ 1.x twin read alike. The folder defaults to an empty path, so
 * replaying a recorded macro without it never opens a folder chooser.
 */
@Plugin(type = Command.class, menuPath = "Plugins>UTAD>Train Model")
public class TrainModelCommand extends UtadCommand {
    @Parameter(label = "Normal images (open stack)", required = false, description = UserOptions.HELP_IMAGES)
    private ImagePlus images;

    @Parameter(label = "or folder of normal images", style = FileWidget.DIRECTORY_STYLE, required = false,
            persist = false, description = UserOptions.HELP_FOLDER_TRAIN)
    private File folder = new File("");

    @Parameter(label = "Model file to write", style = FileWidget.SAVE_STYLE,
            description = UserOptions.HELP_MODEL_TRAIN)
    private File model;

    @Parameter(label = "Preset", choices = {UserOptions.PRESET_FAST, UserOptions.PRESET_BALANCED,
            UserOptions.PRESET_PAPER}, description = UserOptions.HELP_PRESET)
    private String preset = UserOptions.DEFAULT_PRESET;

    @Parameter(label = "Image size (px, 0 = preset)", min = "0", description = UserOptions.HELP_IMAGE_SIZE)
    private int image_size;

    @Parameter(label = "Iterations stage 1 (0 = preset)", min = "0", description = UserOptions.HELP_ITERATIONS1)
    private int iterations1;

    @Parameter(label = "Iterations stage 2 (0 = preset)", min = "0", description = UserOptions.HELP_ITERATIONS2)
    private int iterations2;

    @Parameter(label = "Mode", choices = {UserOptions.MODE_PRESET, UserOptions.MODE_RESIZE, UserOptions.MODE_PATCH},
            description = UserOptions.HELP_MODE)
    private String mode = UserOptions.MODE_PRESET;

    @Parameter(label = "Validation fraction", min = "0", max = "0.9", stepSize = "0.05",
            description = UserOptions.HELP_VALIDATION)
    private double validation = UserOptions.DEFAULT_VALIDATION;

    @Parameter(label = "Device", choices = {UserOptions.DEVICE_AUTO, UserOptions.DEVICE_CPU, UserOptions.DEVICE_GPU},
            description = UserOptions.HELP_DEVICE)
    private String device = UserOptions.DEVICE_AUTO;

    @Parameter(label = "Seed", description = UserOptions.HELP_SEED)
    private long seed = UserOptions.DEFAULT_SEED;

    @Parameter(label = "Further settings (key=value ...)", required = false, description = UserOptions.HELP_SETTINGS)
    private String settings = "";

    @Parameter(label = "Overwrite an existing model", persist = false, description = UserOptions.HELP_OVERWRITE_TRAIN)
    private boolean overwrite;

    @Parameter(label = "Resume from checkpoint", persist = false, description = UserOptions.HELP_RESUME)
    private boolean resume;

    @Parameter(type = ItemIO.OUTPUT, label = "Loss curves")
    private ImagePlus lossPlot;

    @Parameter(type = ItemIO.OUTPUT, label = "Summary")
    private String summary;

    @Override
    public void run() {
        execute("Train Model", (log, progress, cancel) -> {
            TrainJob.Result r = TrainJob.run(new TrainJob.Request(images, folder, model, preset, image_size,
                    iterations1, iterations2, mode, validation, device, seed, settings, overwrite, resume),
                    log, progress, cancel);
            lossPlot = r.lossPlot();
            summary = r.summary().text();
        });
    }
}
