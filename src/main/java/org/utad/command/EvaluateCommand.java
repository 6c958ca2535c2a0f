package org.utad.command;

import java.io.File;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.utad.api.Evaluate;
import org.utad.config.UserOptions;

/**
 * Plugins &gt; UTAD &gt; Evaluate: measures a model on a labelled dataset in the MVTec-AD layout
 * (image AUROC, pixel AUROC, AUPRO, F1) and writes the tables and figures to a folder, so users can
 * check a model on their own annotated data before trusting it; with a screen it also shows the
 * metrics table and the figures.
 */
@Plugin(type = Command.class, menuPath = "Plugins>UTAD>Evaluate")
public class EvaluateCommand extends UtadCommand {
    @Parameter(label = "Model file", style = FileWidget.OPEN_STYLE, description = UserOptions.HELP_MODEL_DETECT)
    private File model = new File("");

    @Parameter(label = "Dataset folder (MVTec-AD layout)", style = FileWidget.DIRECTORY_STYLE,
            description = UserOptions.HELP_DATA)
    private File data = new File("");

    @Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE,
            description = UserOptions.HELP_OUTPUT_EVALUATE)
    private File output = new File("");

    @Parameter(label = "Method", choices = {UserOptions.METHOD_UTAD, UserOptions.METHOD_BASELINE,
            UserOptions.METHOD_EXPERT}, description = UserOptions.HELP_METHOD)
    private String method = UserOptions.METHOD_UTAD;

    @Parameter(label = "Colour conversion", choices = {UserOptions.CONVERSION_NONE, UserOptions.CONVERSION_AUTO},
            description = UserOptions.HELP_CONVERSION)
    private String conversion = UserOptions.CONVERSION_NONE;

    @Parameter(label = "Device", choices = {UserOptions.DEVICE_AUTO, UserOptions.DEVICE_CPU, UserOptions.DEVICE_GPU},
            description = UserOptions.HELP_DEVICE)
    private String device = UserOptions.DEVICE_AUTO;

    @Parameter(label = "Overwrite existing tables", persist = false,
            description = UserOptions.HELP_OVERWRITE_EVALUATE)
    private boolean overwrite;

    @Parameter(label = "Detection settings (detect.key=value ...)", required = false, persist = false,
            description = UserOptions.HELP_SETTINGS_DETECT)
    private String settings = "";

    @Parameter(type = ItemIO.OUTPUT, label = "Evaluation")
    private String summary;

    @Override
    public void run() {
        execute("Evaluate", (log, progress, cancel) -> {
            Evaluate.Summary s = EvaluateJob.run(model, data, output, method, conversion, device, settings, overwrite,
                    progress, cancel);
            summary = s.text();
            log.info(summary);
            EvaluateJob.show(s);
        });
    }
}
